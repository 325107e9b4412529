/**
 * The parallel scan's worker thread: reads and parses WALs for the
 * inspector's build, so that JSON.parse runs beside the indexing instead of
 * before it. For each chunk of a WAL it sends a batch (scan-batch.ts): every
 * op's place and fields, hashes and short values, not the records themselves,
 * which stay on disk (the index reads back what it shows). A WAL is read only as
 * far as the main thread has given it credit, so parsed chunks never pile up.
 * Reads only; never writes.
 */
import { parentPort } from "node:worker_threads";
import type { ScanReply, ScanRequest } from "./parallel.js";
import { ScanBatchEncoder } from "./scan-batch.js";
import { LaneReader } from "./walscan.js";

interface OpenLane {
  reader: LaneReader;
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
    while (lane.credit > 0 && !lane.closed) {
      const ops = await lane.reader.next();
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
    if (lane.closed) await lane.reader.close(); // closed while a read was in flight
  }
}

port.on("message", (req: ScanRequest) => {
  if (req.kind === "open") {
    const lane: OpenLane = { reader: new LaneReader(req.dir, req.path, req.fileIdx, 0, 1, false), credit: req.credit, pumping: false, closed: false };
    lanes.set(req.lane, lane);
    void pump(req.lane, lane);
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
    if (!lane.pumping) void lane.reader.close();
  }
});
post({ kind: "ready" });
