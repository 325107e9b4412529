/**
 * The index build's reads, counted as they go (progress.ts): a snapshot's
 * bytes as it is parsed and as its records go into the index, a WAL chunk's
 * lines and ops. Reads only.
 */
import { loadSnapshot, setFromSnapshot } from "./chain.js";
import type { StoreIndex } from "./store-index.js";
import type { BuildMeter } from "./progress.js";
import type { FileEntry } from "./scan.js";
import type { Doc } from "./types.js";
import type { ScannedOp } from "./walscan.js";

/** The share of the first snapshot's bytes counted as its parse; the rest as its records go into the index. */
export const PARSE_SHARE = 0.8;

/** Read a snapshot, counting its bytes as read: `parseShare` of them as it is parsed, the rest when the caller says. */
export async function readSnapshot(dir: string, history: StoreIndex, entry: FileEntry, meter: BuildMeter, parseShare = 1): Promise<Map<string, unknown> | null> {
  meter.phase("snapshot");
  const parsed = Math.floor(parseShare * entry.bytes);
  let counted = 0;
  const records = await loadSnapshot(dir, history, entry, (share) => {
    const bytes = Math.floor(share * parsed);
    meter.read(bytes - counted);
    counted = bytes;
  });
  meter.read(parsed - counted);
  return records;
}

/** The first snapshot's records into the index, counting the rest of its bytes as they go. */
export function indexSnapshot(history: StoreIndex, records: Map<string, unknown>, bytes: number, meter: BuildMeter): void {
  const step = Math.max(1, Math.ceil(records.size / 20));
  const perStep = (bytes * step) / Math.max(1, records.size);
  let counted = 0;
  let n = 0;
  for (const [id, value] of records) {
    setFromSnapshot(history, id, 0, value as Doc);
    if (++n % step === 0) {
      meter.read(Math.floor(perStep));
      counted += Math.floor(perStep);
    }
  }
  meter.read(bytes - counted);
}

/** Count a chunk of a WAL as read: its lines' bytes and its ops. */
export function countChunk(meter: BuildMeter, chunk: ScannedOp[]): void {
  let bytes = 0;
  for (const op of chunk) bytes += op.length + 1;
  meter.read(bytes, chunk.length);
}

