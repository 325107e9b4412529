/**
 * The chain's archives, read once every link is (archive-reading.ts): at
 * each link's end that left records out, which of them an archive moved and
 * where, the writes its agent had not seen (lost writes: the segment holds
 * an older value than the replay's), and the records nothing explains (the
 * link's mismatch). The reading is kept with the link's jump, where the
 * timeline's events (events.ts) find it. Reads only.
 */
import { readArchives } from "./archive-reading.js";
import { jsonEqual } from "./json.js";
import type { EndValues, SegmentNow } from "./archive-reading.js";
import type { LeftOut } from "./chain.js";
import { linkEntriesOn, unseenByCompaction, unseenFrom } from "./lost-writes.js";
import type { StoreIndex } from "./store-index.js";
import type { ChainLink, Doc } from "./types.js";
import { SNAPSHOT_ABSENT, compareIds } from "./versions.js";

/** Read the archives at every end; returns, per link, the left-out ids nothing explains. */
export function settleArchives(history: StoreIndex, ends: LeftOut[], segments: SegmentNow[]): Map<ChainLink, string[]> {
  const held = new EverHeld(history);
  const values = ends.map((end) => new EndExplainer(history, end, held));
  const reads = readArchives(ends, segments, (i) => values[i]);
  const jumps = new Map(history.jumps.map((j) => [j.epoch, j]));
  const unexplained = new Map<ChainLink, string[]>();
  ends.forEach((end, i) => {
    const read = reads[i];
    const droppedBefore = history.dropped.size;
    const moved = new Set(read?.ids ?? []);
    // Archived with another value than the replay's: the archiving agent had not seen the later writes, which are lost.
    for (const [id, value] of read?.otherValues ?? []) for (const e of values[i].unseen(id, value as Doc) ?? []) history.dropped.add(e);
    const notMoved = end.removed.filter((id) => !moved.has(id));
    const unseen = unseenByCompaction(history, end.link, notMoved, new Map(), end.compactor);
    end.link.droppedWrites += history.dropped.size - droppedBefore;
    const nothing = [...notMoved.filter((id) => !unseen.has(id)), ...(read?.unexplained ?? [])];
    if (nothing.length > 0) unexplained.set(end.link, nothing);
    const jump = jumps.get(end.link.epoch);
    if (jump && read) jump.archive = { segment: read.segment, ids: [...read.ids].sort(compareIds) };
  });
  return unexplained;
}

/** How an end's link explains values written at it; its ops are read only when first asked about. */
class EndExplainer implements EndValues {
  private entries: Map<string, number[]> | null = null;

  constructor(
    private readonly history: StoreIndex,
    private readonly end: LeftOut,
    private readonly held: EverHeld,
  ) {}

  had(id: string, i: number): boolean {
    return this.end.sameIn.get(id)?.has(i) ?? false;
  }

  explains(id: string, value: Doc | null): boolean {
    return this.unseen(id, value) !== null;
  }

  /**
   * The link's ops on id that the agent writing value for it (null: leaving it out) had not seen: those after the last that wrote value
   * (lost-writes.ts); or, for an archive's value, all of them, when each is another agent's and id held value before the link (an agent that
   * had not refreshed since). Null: nothing explains it.
   */
  unseen(id: string, value: Doc | null): number[] | null {
    const { history, end } = this;
    this.entries ??= linkEntriesOn(history, end.link, end.removed);
    const mine = this.entries.get(id) ?? [];
    const ops = history.reader.many(mine);
    const list = mine.map((e) => ops.get(e)!);
    const from = unseenFrom(list, value, end.compactor);
    if (from !== null) return mine.slice(from);
    if (value === null || !list.every((op) => op.agent !== null && op.agent !== end.compactor)) return null;
    return this.held.had(id, value, end.link.startPos) ? mine : null;
  }

  plausible(id: string, value: unknown): boolean {
    return this.held.had(id, value, Infinity);
  }
}

/**
 * Whether id held a value in some state up to k (an op's or a snapshot's value), or an op no reader replays wrote it (a retired WAL's, a
 * torn line's, one after its link's snapshot): a value an agent may hold without a reader having seen it. A rare question (a segment's
 * value nothing else explains); the ops no reader replays are gathered once, on the first.
 */
class EverHeld {
  private offTimeline: Map<number, number[]> | null = null;

  constructor(private readonly history: StoreIndex) {}

  had(id: string, value: unknown, k: number): boolean {
    const { versions } = this.history;
    const rec = versions.recOf(id);
    if (rec === undefined) return false;
    const list = versions.list(rec);
    const entries: number[] = [];
    for (let j = 0; j < list.k.length && list.k[j] <= k; j++) {
      const src = list.src[j];
      if (src >= 0) entries.push(src);
      else if (src !== SNAPSHOT_ABSENT && jsonEqual(versions.snapshotValue(src), value)) return true;
    }
    for (const e of this.offTimelineOf().get(rec) ?? []) entries.push(e); // not push(...): a spread overflows the stack on a long list
    const ops = this.history.reader.many(entries);
    return entries.some((e) => ops.get(e)!.op === "set" && jsonEqual(ops.get(e)!.data, value));
  }

  private offTimelineOf(): Map<number, number[]> {
    if (this.offTimeline) return this.offTimeline;
    const { table, lanes } = this.history;
    const out = new Map<number, number[]>();
    for (const lane of lanes) {
      for (let i = 0; i < lane.entries.length; i++) {
        const e = lane.entries.get(i);
        if (table.pos(e) !== -1) continue;
        const list = out.get(table.rec(e));
        if (list) list.push(e);
        else out.set(table.rec(e), [e]);
      }
    }
    return (this.offTimeline = out);
  }
}
