/**
 * 64-bit hashes of JSON values (two independent 32-bit halves), equal for
 * equal values whatever the order of their keys. They let the conflict check
 * compare an op's `prev` with the record it replaced without holding either
 * as objects: the parallel scan sends hashes, not parsed records. Equal
 * hashes stand for equal values: two different records share a hash with
 * odds of about 1 in 2^64.
 */
import type { Doc } from "./types.js";

/** Where a hash is written: [high, low]. */
export type Hash = Int32Array;

const numberBits = new Float64Array(1);
const numberWords = new Int32Array(numberBits.buffer);
/** The halves of the value just hashed (callers copy them before hashing the next). */
let outA = 0;
let outB = 0;

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hashString(s: string, seed: number): void {
  let a = 0x811c9dc5 ^ seed ^ s.length;
  let b = 0x9747b28c ^ Math.imul(seed, 31) ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 13);
  }
  outA = mix(a);
  outB = mix(b ^ 0x27d4eb2d);
}

/** Hash v into outA/outB. */
function hashInto(v: unknown): void {
  switch (typeof v) {
    case "string":
      hashString(v, 1);
      return;
    case "number":
      numberBits[0] = v === 0 ? 0 : v; // -0 and 0 are the same JSON value
      outA = mix(numberWords[0] ^ 0x3c6ef372);
      outB = mix(numberWords[1] ^ Math.imul(numberWords[0], 0x165667b1) ^ 2);
      return;
    case "boolean":
      outA = v ? 0x2f0d1a4b : 0x5a17e3c1;
      outB = v ? 0x61c88647 : 0x1b873593;
      return;
    case "object":
      if (v === null) {
        outA = 0x6a09e667;
        outB = 0x3c6ef372;
      } else if (Array.isArray(v)) {
        let a = 0x9e3779b9 ^ v.length;
        let b = 0x85ebca6b ^ v.length;
        for (const item of v) {
          hashInto(item);
          a = Math.imul(a ^ outA, 0x01000193) + 0x7f4a7c15;
          b = Math.imul(b ^ outB, 0xc2b2ae35) ^ (b >>> 15);
        }
        outA = mix(a);
        outB = mix(b ^ 0x51ed270b);
      } else {
        let a = 0;
        let b = 0;
        let n = 0;
        for (const key in v) {
          hashEntry(key, (v as Doc)[key]);
          a = (a + outA) | 0;
          b = (b + outB) | 0;
          n++;
        }
        finishObject(a, b, n);
      }
      return;
    default:
      throw new Error(`not a JSON value: ${typeof v}`);
  }
}

/** One key/value pair of an object; objects add up their pairs, so key order does not count. */
function hashEntry(key: string, value: unknown): void {
  hashInto(value);
  const va = outA;
  const vb = outB;
  hashString(key, 7);
  outA = mix(outA ^ Math.imul(va, 0x27d4eb2d));
  outB = mix(outB ^ Math.imul(vb, 0x165667b1) ^ 0x2545f491);
}

function finishObject(a: number, b: number, n: number): void {
  outA = mix(a ^ 0x510e527f ^ Math.imul(n, 0x9b05688c));
  outB = mix(b ^ 0x1f83d9ab ^ Math.imul(n, 0x5be0cd19));
}

/**
 * An object's hash from its pairs, for a caller that hashes them one by one
 * (the build, as it keeps their values: value-codes.ts), equal to hashValue
 * of the object: hashKey once per key, hashPair per pair, then finishHash of
 * the pairs' halves added up (as 32-bit integers) and their count.
 */
export function hashKey(key: string, out: Hash): void {
  hashString(key, 7);
  out[0] = outA;
  out[1] = outB;
}

/** The hash of one pair: a key (its hashKey) and a value. */
export function hashPair(key: Hash, value: unknown, out: Hash): void {
  hashInto(value);
  out[0] = mix(key[0] ^ Math.imul(outA, 0x27d4eb2d));
  out[1] = mix(key[1] ^ Math.imul(outB, 0x165667b1) ^ 0x2545f491);
}

/** The hash of an object whose n pairs' hashes add up to a, b. */
export function finishHash(a: number, b: number, n: number, out: Hash): void {
  finishObject(a, b, n);
  out[0] = outA;
  out[1] = outB;
}

/** The hash of a JSON value. */
export function hashValue(v: unknown, out: Hash): void {
  hashInto(v);
  out[0] = outA;
  out[1] = outB;
}

/**
 * The hash of the record a delta op's writer had, without building it: its
 * data, with the patch's $set values over it, then its $unset keys removed
 * (as applyReversePatch builds it).
 * Equal to hashValue of that record.
 */
export function hashPatched(data: Doc, patch: { $set?: Doc; $unset?: string[] }, out: Hash): void {
  const set = patch.$set ?? {};
  const unset = patch.$unset ?? [];
  let a = 0;
  let b = 0;
  let n = 0;
  for (const key in data) {
    if (Object.hasOwn(set, key) || (unset.length > 0 && unset.includes(key))) continue;
    hashEntry(key, data[key]);
    a = (a + outA) | 0;
    b = (b + outB) | 0;
    n++;
  }
  for (const key in set) {
    if (unset.length > 0 && unset.includes(key)) continue; // $unset goes last
    hashEntry(key, set[key]);
    a = (a + outA) | 0;
    b = (b + outB) | 0;
    n++;
  }
  finishObject(a, b, n);
  out[0] = outA;
  out[1] = outB;
}

/** The hash of the full record an op's writer had: its prev as written, or rebuilt from a delta patch over its data. */
export function hashFullPrev(op: { data: Doc | null; rawPrev: Doc | null; encoding: "full" | "delta" }, out: Hash): void {
  if (op.encoding === "delta") hashPatched(op.data ?? {}, op.rawPrev as { $set?: Doc; $unset?: string[] }, out);
  else hashValue(op.rawPrev, out);
}
