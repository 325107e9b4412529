/**
 * A WAL lane's op entries, in file order, as runs of consecutive entry
 * numbers. The build adds a lane's ops a chunk at a time, so each chunk is
 * one run: a few thousand runs stand for a million entries, where a list of
 * them would take 4 bytes each. Reading them in order costs O(1) per entry.
 */
import { IntList } from "./optable.js";

export class EntryRuns {
  /** First entry of each run */
  private firsts = new IntList();
  /** Index (in the lane) of each run's first entry */
  private starts = new IntList();
  length = 0;
  /** The run the last get() found: reads in order stay in it or step to the next */
  private hint = 0;

  push(entry: number): void {
    const runs = this.firsts.length;
    if (runs === 0 || this.firsts.get(runs - 1) + (this.length - this.starts.get(runs - 1)) !== entry) {
      this.firsts.push(entry);
      this.starts.push(this.length);
    }
    this.length++;
  }

  /** The i-th entry of the lane (0 <= i < length). */
  get(i: number): number {
    const run = this.runOf(i);
    return this.firsts.get(run) + (i - this.starts.get(run));
  }

  private runOf(i: number): number {
    const runs = this.starts.length;
    let run = this.hint;
    if (run < runs && this.starts.get(run) <= i && (run + 1 === runs || this.starts.get(run + 1) > i)) return run;
    run++;
    if (run < runs && this.starts.get(run) <= i && (run + 1 === runs || this.starts.get(run + 1) > i)) return (this.hint = run);
    let lo = 0;
    let hi = runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts.get(mid) <= i) lo = mid;
      else hi = mid - 1;
    }
    return (this.hint = lo);
  }

  trim(): void {
    this.firsts.trim();
    this.starts.trim();
  }

  /** Bytes of the typed arrays (for the memory benchmark). */
  get bytes(): number {
    return this.firsts.bytes + this.starts.bytes;
  }
}
