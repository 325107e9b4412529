/**
 * The schema query: which records the schema describes. Like Compass, it
 * describes a random sample (1000 by default) of the records a filter keeps,
 * so that it answers as fast on a million records as on a hundred; asked for
 * every record (sample 0), or when the store holds no more than the sample,
 * it reads them all and says the figures are exact. With a filter, it reads
 * records in random order until the sample is full or it has read ten times
 * the sample, whichever comes first, and says how many it read. The random
 * order has a fixed seed: the same question gets the same answer. Records
 * are drawn and checked one by one, never listed first: a sample at a past
 * position costs its size, not the store's.
 */
import { OpslogError } from "../errors.js";
import { compileFilter } from "./filter.js";
import { SchemaTally } from "./schema-summary.js";
import type { QueryContext } from "./context.js";
import type { Doc, SchemaRequest, StoreSchema } from "./types.js";

export const DEFAULT_SAMPLE = 1000;
/** With a filter, records read per record wanted before giving up on filling the sample. */
const SCAN_FACTOR = 10;
const READ_BATCH = 2000;
const SEED = 0x5eed;

/** The records of one position: record slots (numbers 0..slots-1), which of them hold a record there, and a way to read their values. */
export interface SchemaSource {
  at: number;
  slots: number;
  /** How many slots hold a record at the position */
  records: number;
  present(rec: number): boolean;
  /** The values of these records at the position, read together (null/undefined: absent) */
  read(recs: number[]): (Doc | null | undefined)[];
}

export function describeRecords(source: SchemaSource, req: SchemaRequest): StoreSchema {
  const sample = req.sample ?? DEFAULT_SAMPLE;
  if (!Number.isInteger(sample) || sample < 0) throw new OpslogError("bad-argument", `The sample size must be a whole number >= 0 (0: every record); got ${sample}.`);
  const predicate = compileFilter(req.filter);
  const total = source.records;
  const wanted = sample === 0 ? Infinity : sample;
  const budget = sample === 0 ? total : Math.min(total, predicate ? sample * SCAN_FACTOR : sample);
  // All of them: in slot order. A sample: slots in random order, each checked as drawn, so a sample costs its size, not the store's.
  const next = budget === total ? inOrder() : randomOrder(source.slots, total === 0 ? source.slots : (budget * source.slots) / total);
  const tally = new SchemaTally();
  let scanned = 0;
  let matched = 0;
  let drawn = 0;
  while (scanned < budget && tally.records < wanted && drawn < source.slots) {
    const batch: number[] = [];
    while (batch.length < READ_BATCH && scanned + batch.length < budget && drawn < source.slots) {
      const rec = next();
      drawn++;
      if (source.present(rec)) batch.push(rec);
    }
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

function inOrder(): () => number {
  let i = 0;
  return () => i++;
}

/**
 * Slots in a seeded random order: Fisher-Yates, one draw at a time. When few
 * draws are expected (a sample of a big store), the swapped slots are kept
 * in a Map rather than a whole array: no megabytes allocated per question,
 * so no garbage collection of a big heap triggered by it.
 */
export function randomOrder(slots: number, expectedDraws: number): () => number {
  const random = mulberry32(SEED);
  let i = 0;
  if (expectedDraws < slots / 8) {
    const moved = new Map<number, number>();
    return () => {
      const j = i + Math.floor(random() * (slots - i));
      const picked = moved.get(j) ?? j;
      moved.set(j, moved.get(i) ?? i); // slot i is used up: what it held moves to where the pick was
      i++;
      return picked;
    };
  }
  const order = new Int32Array(slots);
  for (let k = 0; k < slots; k++) order[k] = k;
  return () => {
    const j = i + Math.floor(random() * (slots - i));
    const picked = order[j];
    order[j] = order[i];
    order[i++] = picked;
    return picked;
  };
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

/** The schema query: the fields of the records at a position (default now) that a filter keeps. */
async function schema(ctx: QueryContext, req: SchemaRequest): Promise<StoreSchema> {
  const at = ctx.checkAt(req.at);
  return describeRecords(
    {
      at,
      slots: ctx.recordCount,
      records: ctx.aliveAt(at),
      present: (rec) => ctx.isAlive(rec, at),
      read: (recs) => ctx.valuesAt(recs, at),
    },
    req,
  );
}

export const schemaQueries = { schema };
