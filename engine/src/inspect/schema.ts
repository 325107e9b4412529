/**
 * records.schema: which records the schema describes. Like Compass, it
 * describes a random sample (1000 by default) of the records a filter keeps,
 * so that it answers as fast on a million records as on a hundred; asked for
 * every record (sample 0), or when the store holds no more than the sample,
 * it reads them all and says the figures are exact. With a filter, it reads
 * records in random order until the sample is full or it has read ten times
 * the sample, whichever comes first, and says how many it read. The random
 * order has a fixed seed: the same question gets the same answer.
 */
import { OpslogError } from "../errors.js";
import { compileFilter } from "./query.js";
import { SchemaTally } from "./schema-summary.js";
import type { Doc, SchemaRequest, StoreSchema } from "./types.js";

export const DEFAULT_SAMPLE = 1000;
/** With a filter, records read per record wanted before giving up on filling the sample. */
const SCAN_FACTOR = 10;
const READ_BATCH = 2000;
const SEED = 0x5eed;

/** The records of one position: their numbers (in id order), and a way to read their values. */
export interface SchemaSource {
  at: number;
  recs: ArrayLike<number>;
  /** The values of these records at the position, read together (null/undefined: absent) */
  read(recs: number[]): (Doc | null | undefined)[];
}

export function describeRecords(source: SchemaSource, req: SchemaRequest): StoreSchema {
  const sample = req.sample ?? DEFAULT_SAMPLE;
  if (!Number.isInteger(sample) || sample < 0) throw new OpslogError("bad-argument", `The sample size must be a whole number >= 0 (0: every record); got ${sample}.`);
  const predicate = compileFilter(req.filter);
  const total = source.recs.length;
  const wanted = sample === 0 ? Infinity : sample;
  const budget = sample === 0 ? total : Math.min(total, predicate ? sample * SCAN_FACTOR : sample);
  const order = budget === total ? source.recs : shuffledPrefix(source.recs, budget);
  const tally = new SchemaTally();
  let scanned = 0;
  let matched = 0;
  for (let b = 0; b < budget && tally.records < wanted; b += READ_BATCH) {
    const batch = Array.from({ length: Math.min(READ_BATCH, budget - b) }, (_, i) => order[b + i]);
    const values = source.read(batch);
    for (const value of values) {
      if (tally.records >= wanted) break;
      scanned++;
      if (!value || (predicate && !predicate(value))) continue;
      matched++;
      tally.add(value);
    }
  }
  return {
    at: source.at,
    records: total,
    scanned,
    matched,
    described: tally.records,
    sample,
    exact: scanned === total,
    fieldsCapped: tally.fieldsCapped,
    fields: tally.result(),
  };
}

/** The records present in the current state, by a plain pass over its slots (no search of each record's versions, as a past position needs). */
export function presentRecs(slots: number, has: (rec: number) => boolean): Int32Array {
  const out = new Int32Array(slots);
  let n = 0;
  for (let rec = 0; rec < slots; rec++) if (has(rec)) out[n++] = rec;
  return out.subarray(0, n);
}

/** The first n of a seeded random permutation of recs (Fisher-Yates, stopped after n draws). */
function shuffledPrefix(recs: ArrayLike<number>, n: number): Int32Array {
  const copy = Int32Array.from(recs);
  const random = mulberry32(SEED);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    const t = copy[i];
    copy[i] = copy[j];
    copy[j] = t;
  }
  return copy.subarray(0, n);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
