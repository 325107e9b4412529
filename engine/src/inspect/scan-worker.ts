/**
 * A scan worker thread (two run at once): reads and parses segments of WALs
 * (wal-segments.ts) for the inspector's build, so that JSON.parse runs on
 * both cores beside the indexing instead of before it. For each chunk of a
 * segment it sends a batch (scan-batch.ts): every op's place and fields,
 * hashes and short values, not the records themselves, which stay on disk
 * (the index reads back what it shows). A segment is read only as far as the
 * build's thread has given it credit, so parsed chunks never pile up.
 * Reads only; never writes.
 */
import { parentPort } from "node:worker_threads";
import { BATCH_CHUNKS } from "./scan-protocol.js";
import type { ScanReply, ScanRequest } from "./scan-protocol.js";
import { ScanBatchEncoder } from "./scan-batch.js";
import { segmentStart } from "./wal-segments.js";
import { LaneReader, unreadableFrom } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";


interface OpenLane {
  reader: LaneReader | null;
  credit: number;
  pumping: boolean;
  closed: boolean;
}

const port = parentPort!;
const lanes = new Map<number, OpenLane>();
const batches = new ScanBatchEncoder();

function post(reply: ScanReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

async function pump(id: number, lane: OpenLane): Promise<void> {
  if (lane.pumping) return;
  lane.pumping = true;
  try {
    while (lane.credit > 0 && !lane.closed && lane.reader) {
      const ops = await nextChunks(lane.reader);
      if (lane.closed) break;
      if (ops === null) {
        const { skipped, end, nextLine, unreadable } = lane.reader;
        post({ kind: "end", lane: id, skipped, end, nextLine, unreadable });
        lanes.delete(id);
        break;
      }
      if (ops.length === 0) continue; // a chunk inside one long line
      const batch = batches.encode(id, ops);
      lane.credit--;
      const { codes, numbers } = batch.columns;
      post(batch, [batch.f64.buffer, batch.i32.buffer, codes.buffer, ...(numbers ? [numbers.buffer] : [])] as ArrayBuffer[]);
    }
  } catch (err) {
    post({ kind: "error", lane: id, message: (err as Error).message });
    lanes.delete(id);
  } finally {
    lane.pumping = false;
    if (lane.closed) await lane.reader?.close(); // closed while a read was in flight
  }
}

/** The ops of the reader's next few chunks (null at its end). */
async function nextChunks(reader: LaneReader): Promise<ScannedOp[] | null> {
  const ops = await reader.next();
  if (ops === null) return null;
  for (let k = 1; k < BATCH_CHUNKS; k++) {
    const more = await reader.next();
    if (more === null) break; // said by the next call, which returns null again
    for (const op of more) ops.push(op);
  }
  return ops;
}

/** Find where the segment's first line starts, then read from there (or say that no line starts in it). */
async function open(req: Extract<ScanRequest, { kind: "open" }>, lane: OpenLane): Promise<void> {
  let start: number | null;
  try {
    start = await segmentStart(req.dir, req.path, req.from, req.to);
  } catch (err) {
    // Gone (a compaction elsewhere) reads as empty; anything else (EACCES, EIO...) is said as it is.
    const unreadable = (err as NodeJS.ErrnoException).code === "ENOENT" ? null : unreadableFrom(err);
    start = null;
    if (unreadable) return endEmpty(req.lane, unreadable);
  }
  if (lane.closed) return;
  if (start === null) return endEmpty(req.lane, null);
  lane.reader = new LaneReader(req.dir, req.path, req.fileIdx, start, 1, false, undefined, req.to ?? Infinity);
  await pump(req.lane, lane);
}

function endEmpty(id: number, unreadable: ReturnType<typeof unreadableFrom> | null): void {
  post({ kind: "end", lane: id, skipped: [], end: -1, nextLine: 1, unreadable });
  lanes.delete(id);
}

port.on("message", (req: ScanRequest) => {
  if (req.kind === "open") {
    const lane: OpenLane = { reader: null, credit: req.credit, pumping: false, closed: false };
    lanes.set(req.lane, lane);
    void open(req, lane);
  } else if (req.kind === "credit") {
    const lane = lanes.get(req.lane);
    if (!lane) return;
    lane.credit += req.n;
    void pump(req.lane, lane);
  } else {
    const lane = lanes.get(req.lane);
    if (!lane) return;
    lane.closed = true;
    lanes.delete(req.lane);
    if (!lane.pumping) void lane.reader?.close();
  }
});
post({ kind: "ready" });
