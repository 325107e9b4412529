/**
 * Record number -> id. A build adds ids one by one (one string each, shared
 * by every op on the record); an index read back from the index cache keeps
 * them as the cache stored them: one joined string and where each id ends in
 * it. An id string is made only when one is asked for, so a reopen does not
 * make (and later collect) a million strings and a million-entry array it
 * may never read (issue 22). Lookups by id go through IdIndex, which asks
 * `is(rec, id)`: a comparison in place, no string made.
 */

/** The stored form (index-cache-codec.ts): every id joined, and where each one ends. */
export interface StoredIds {
  joined: string;
  ends: Int32Array;
}

export class RecordIds {
  /** The first ends.length ids, as the index cache kept them: id r is joined[ends[r - 1], ends[r]) */
  private joined = "";
  private ends: Int32Array = new Int32Array(0);
  /** Ids added after those (a build's, or the live tail's new records) */
  private added: string[] = [];

  get length(): number {
    return this.ends.length + this.added.length;
  }

  /** The id of record rec. */
  at(rec: number): string {
    const joinedCount = this.ends.length;
    if (rec >= joinedCount) return this.added[rec - joinedCount];
    return this.joined.slice(rec === 0 ? 0 : this.ends[rec - 1], this.ends[rec]);
  }

  /** Whether record rec's id is id (compared where it is: no string made). */
  is(rec: number, id: string): boolean {
    const joinedCount = this.ends.length;
    if (rec >= joinedCount) return this.added[rec - joinedCount] === id;
    const from = rec === 0 ? 0 : this.ends[rec - 1];
    return this.ends[rec] - from === id.length && this.joined.startsWith(id, from);
  }

  /** Add the next record's id; answers its record number. */
  push(id: string): number {
    this.added.push(id);
    return this.length - 1;
  }

  /**
   * Join the ids added so far in with the rest (the build is over): one
   * string and an Int32Array in place of a string per id and an array of
   * them, for as long as the index is open.
   */
  compact(): void {
    if (this.added.length === 0) return;
    const { joined, ends } = this.stored();
    this.joined = joined;
    this.ends = ends;
    this.added = [];
  }

  /** Every id, by record number, to read and let go (a sort by id over all records): made anew from the joined ones. */
  toArray(): readonly string[] {
    if (this.ends.length === 0) return this.added;
    const all: string[] = [];
    for (let rec = 0; rec < this.length; rec++) all.push(this.at(rec));
    return all;
  }

  /** Every id as one string and where each ends: what the index cache writes. */
  stored(): StoredIds {
    if (this.added.length === 0) return { joined: this.joined, ends: this.ends };
    const joinedCount = this.ends.length;
    const ends = new Int32Array(this.length);
    ends.set(this.ends);
    let at = joinedCount === 0 ? 0 : this.ends[joinedCount - 1];
    for (let i = 0; i < this.added.length; i++) ends[joinedCount + i] = at += this.added[i].length;
    return { joined: this.joined + this.added.join(""), ends };
  }

  /** The ids as stored() gave them (checked: a cache that does not hold together is a miss, never a wrong id). */
  static fromStored(stored: StoredIds): RecordIds {
    const { joined, ends } = stored;
    if (typeof joined !== "string" || !(ends instanceof Int32Array)) throw new Error("record ids of the wrong shape");
    if (ends.length > 0 && ends[ends.length - 1] !== joined.length) throw new Error("record ids of the wrong length");
    const ids = new RecordIds();
    ids.joined = joined;
    ids.ends = ends;
    return ids;
  }
}
