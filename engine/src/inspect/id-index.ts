/**
 * Record ids -> record numbers, for the build's one lookup per op. An open
 * addressing table of (hash, record) pairs side by side in one typed array:
 * a lookup reads one slot and, when the hashes agree, the id itself, where a
 * Map reads a bucket, an entry and the key. A million ops over a hundred
 * thousand ids spend most of this lookup waiting for memory, so fewer reads
 * is what counts (see the profile in issue 13).
 */

import type { RecordIds } from "./record-ids.js";

/** 32-bit FNV-1a over the id's UTF-16 code units. */
function hashId(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h;
}

export class IdIndex {
  /** [hash, record + 1] per slot; record + 1 === 0: an empty slot */
  private slots = new Int32Array(2 * 1024);
  private size = 0;

  /** `ids` names each record (a build worker's plain list, or the index's RecordIds): the table keeps numbers, not strings. */
  constructor(private readonly ids: readonly string[] | RecordIds) {}

  /** The record number of id, or -1. */
  get(id: string): number {
    const h = hashId(id);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const rec = slots[2 * i + 1] - 1;
      if (rec < 0) return -1;
      if (slots[2 * i] === h && this.holds(rec, id)) return rec;
    }
  }

  private holds(rec: number, id: string): boolean {
    const ids = this.ids;
    return Array.isArray(ids) ? ids[rec] === id : (ids as RecordIds).is(rec, id);
  }

  /** Add id (not in the table yet) as record rec. */
  add(id: string, rec: number): void {
    if (2 * (this.size + 1) > this.slots.length >> 1) this.grow();
    this.place(hashId(id), rec);
    this.size++;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i], old[i + 1] - 1);
  }

  private place(h: number, rec: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let i = h & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = h;
    slots[2 * i + 1] = rec + 1;
  }

  /** Bytes of the table (for the memory benchmark). */
  get bytes(): number {
    return this.slots.byteLength;
  }
}
