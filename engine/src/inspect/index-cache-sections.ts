/**
 * The index cache's raw parts (index-cache-codec.ts): large typed arrays
 * written as raw sections after the serialized graph, 8-byte aligned, and
 * read back as views on the file's bytes (no copy, no parse); long lists of
 * strings as one string and their lengths; the snapshot documents' chunks
 * as markers into a part of their own.
 */
import type { StoreIndex } from "./store-index.js";

/** The encode met something it cannot write: no cache is written. */
export class CannotEncode extends Error {}

/** A typed array written as a raw section: its type, and where its bytes are (from the first section's start). */
export const SECTION = "\u0000ta";
/** Typed arrays at least this big are raw sections; smaller ones go through V8's serializer. */
const SECTION_MIN_BYTES = 4096;
const TYPED: Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView> = { Int32Array, Uint32Array, Uint8Array, Int8Array, Int16Array, Uint16Array, Float64Array, Float32Array };

export interface Sections {
  views: ArrayBufferView[];
  bytes: number;
  /** The index being encoded (the current state's values are told apart by their versions) */
  h: StoreIndex;
  /** What another part holds: met again here, it fails the encode (the parts are read back apart) */
  other?: Map<object, unknown>;
  /** The snapshot documents' chunks, written as a part of their own (the main part's only) */
  docs?: { views: Uint8Array[]; bytes: number };
}

/** A chunk of snapshot documents in the documents' part: where, from the part's first chunk, and how long. */
export const DOC = "\u0000doc";

export const align8 = (n: number) => (n + 7) & ~7;

/** The marker of a chunk of snapshot documents, the chunk queued for the documents' part. */
export function docMarker(chunk: Uint8Array, docs: NonNullable<Sections["docs"]>): unknown {
  const marker = { [DOC]: docs.bytes, bytes: chunk.byteLength };
  docs.views.push(chunk);
  docs.bytes += align8(chunk.byteLength);
  return marker;
}

/** Arrays of at least this many strings (ids, a field's values) are written as one string and the lengths: one string to read back, not one per element. */
export const STRINGS_MIN = 256;
export const STRINGS = "\u0000strs";

export function joinStrings(list: string[], sections: Sections): unknown {
  const lengths = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) lengths[i] = list[i].length;
  return { [STRINGS]: list.join(""), lengths: section(lengths, sections) };
}

export function splitStrings(joined: string, lengths: Int32Array): string[] {
  const out: string[] = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) out[i] = joined.slice(at, (at += lengths[i]));
  return out;
}

/** A large typed array as a raw section (a marker naming it), a small one as it is. */
export function section(view: ArrayBufferView, sections: Sections): unknown {
  const type = view.constructor.name;
  if (view.byteLength < SECTION_MIN_BYTES || TYPED[type] !== view.constructor) return view;
  const marker = { [SECTION]: type, at: sections.bytes, bytes: view.byteLength };
  sections.views.push(view);
  sections.bytes += align8(view.byteLength);
  return marker;
}

/** A raw section's typed array: a view on the file's bytes. */
export function sectionView(marker: Record<string, unknown>, raw: Raw): ArrayBufferView {
  const Type = TYPED[marker[SECTION] as string];
  const at = raw.base + (marker.at as number);
  const bytes = marker.bytes as number;
  if (!Type || at + bytes > raw.end || at % 8 !== 0) throw new Error("a section outside the file");
  return new Type(raw.buffer, at, bytes / (Type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
}

export interface Raw {
  buffer: ArrayBuffer;
  /** Where the first section starts in `buffer`, and where the payload ends */
  base: number;
  end: number;
  /** Reads a chunk of the documents' part (`at` from its first chunk) */
  docs?: (at: number, bytes: number) => Uint8Array;
}
