/**
 * Every value each record has had, as a list of versions per id: version
 * (k, value) holds from state k (the state after k timeline ops) until the
 * next version. A seek is a binary search per id, never a replay from zero.
 */
import type { Doc } from "./types.js";

export interface VersionList {
  /** The id, one string shared by every op on it */
  id: string;
  /** State index from which each version holds; non-decreasing */
  k: number[];
  value: (Doc | null)[];
  /** Timeline position of the op that made it; -1 for a snapshot's value */
  pos: number[];
}

export class RecordVersions {
  private byId = new Map<string, VersionList>();
  private sortedIds: string[] | null = null;

  /** Record that from state k, id has value (null = absent); returns id's version list. */
  push(id: string, k: number, value: Doc | null, pos: number): VersionList {
    let list = this.byId.get(id);
    if (!list) {
      list = { id, k: [], value: [], pos: [] };
      this.byId.set(id, list);
      this.sortedIds = null;
    }
    list.k.push(k);
    list.value.push(value);
    list.pos.push(pos);
    return list;
  }

  list(id: string): VersionList | undefined {
    return this.byId.get(id);
  }

  /** The latest value of id (as of the last push). */
  latest(id: string): Doc | null {
    const list = this.byId.get(id);
    return list ? list.value[list.value.length - 1] : null;
  }

  /** The value of id in state `at`. */
  valueAt(id: string, at: number): Doc | null {
    const list = this.byId.get(id);
    if (!list) return null;
    const i = lastIndexAtOrBefore(list.k, at);
    return i === -1 ? null : list.value[i];
  }

  /** Every id ever seen, sorted (cached until a new id appears). */
  ids(): string[] {
    if (!this.sortedIds) this.sortedIds = [...this.byId.keys()].sort(compareIds);
    return this.sortedIds;
  }

  /** Records alive in state `at`, in id order. */
  aliveAt(at: number): { id: string; data: Doc }[] {
    const out: { id: string; data: Doc }[] = [];
    for (const id of this.ids()) {
      const value = this.valueAt(id, at);
      if (value !== null) out.push({ id, data: value });
    }
    return out;
  }

  /** A page of the records alive in state `at`, in id order, without materializing the others. */
  alivePage(at: number, offset: number, limit: number): { id: string; data: Doc }[] {
    const out: { id: string; data: Doc }[] = [];
    let seen = 0;
    for (const id of this.ids()) {
      if (out.length >= limit) break;
      const value = this.valueAt(id, at);
      if (value === null) continue;
      if (seen++ >= offset) out.push({ id, data: value });
    }
    return out;
  }

  get size(): number {
    return this.byId.size;
  }
}

/** Index of the last element <= at in a non-decreasing array, or -1. */
function lastIndexAtOrBefore(ks: number[], at: number): number {
  let lo = 0;
  let hi = ks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ks[mid] <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
