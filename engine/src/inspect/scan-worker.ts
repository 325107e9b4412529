/**
 * The parallel scan's worker thread: reads and parses WALs for the
 * inspector's build, so that JSON.parse runs beside the indexing instead of
 * before it. For each chunk of a WAL it sends every op's place and fields,
 * the hashes of its data and of its full prev, and the short top-level
 * values of its data as column codes (value-codes.ts); the records themselves
 * stay on disk (the index reads back what it shows). A WAL is read only as
 * far as the main thread has given it credit, so parsed chunks never pile up.
 * Reads only; never writes.
 */
import { parentPort } from "node:worker_threads";
import { hashFullPrev, hashValue } from "./hash.js";
import { BATCH_F64, BATCH_I32, F_CLOCK, F_OFFSET, F_TS, FLAG_DATA, FLAG_DELETE, FLAG_DELTA, FLAG_KEPT, FLAG_OVERFLOW, FLAG_PREV, I_AGENT, I_DATA0, I_DATA1, I_FLAGS, I_LENGTH, I_LINE, I_PREV0, I_PREV1, I_REC } from "./parallel.js";
import type { ScanBatch, ScanReply, ScanRequest } from "./parallel.js";
import { BatchColumnEncoder, isRecordData } from "./value-codes.js";
import { LaneReader } from "./walscan.js";
import type { ScannedOp } from "./walscan.js";

interface OpenLane {
  reader: LaneReader;
  credit: number;
  pumping: boolean;
  closed: boolean;
}

const port = parentPort!;
const lanes = new Map<number, OpenLane>();
const agents = new Map<string, number>();
const records = new Map<string, number>();
const hash = new Int32Array(2);
const columns = new BatchColumnEncoder();

function post(reply: ScanReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

function encode(lane: number, ops: ScannedOp[]): ScanBatch {
  const n = ops.length;
  const f64 = new Float64Array(n * BATCH_F64);
  const i32 = new Int32Array(n * BATCH_I32);
  const newIds: string[] = [];
  const oddTs: [number, string][] = [];
  const newAgents: string[] = [];
  columns.begin(n);
  for (let j = 0; j < n; j++) {
    const op = ops[j];
    const f = j * BATCH_F64;
    const i = j * BATCH_I32;
    f64[f + F_OFFSET] = op.offset;
    f64[f + F_CLOCK] = op.clock ?? NaN;
    f64[f + F_TS] = op.tsMs;
    if (Number.isNaN(op.tsMs)) oddTs.push([j, op.ts]);
    let agent = 0;
    if (op.agent !== null) {
      agent = agents.get(op.agent) ?? 0;
      if (agent === 0) {
        agent = agents.size + 1;
        agents.set(op.agent, agent);
        newAgents.push(op.agent);
      }
    }
    i32[i + I_LINE] = op.line;
    i32[i + I_LENGTH] = op.length;
    i32[i + I_AGENT] = agent;
    let rec = records.get(op.id);
    if (rec === undefined) {
      rec = records.size;
      records.set(op.id, rec);
      newIds.push(op.id);
    }
    i32[i + I_REC] = rec;
    let flags = (op.op === "delete" ? FLAG_DELETE : 0) | (op.encoding === "delta" ? FLAG_DELTA : 0) | (op.hasPrev ? FLAG_PREV : 0);
    if (op.data !== null) {
      flags |= FLAG_DATA;
      if (isRecordData(op.data)) flags |= columns.keep(j, op.data, rec, hash) ? FLAG_KEPT : FLAG_KEPT | FLAG_OVERFLOW;
      else hashValue(op.data, hash);
      i32[i + I_DATA0] = hash[0];
      i32[i + I_DATA1] = hash[1];
    }
    i32[i + I_FLAGS] = flags;
    if (op.rawPrev !== null) {
      hashFullPrev(op, hash);
      i32[i + I_PREV0] = hash[0];
      i32[i + I_PREV1] = hash[1];
    }
  }
  return { kind: "batch", lane, n, f64, i32, newIds, oddTs, newAgents, ...columns.end() };
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
      const batch = encode(id, ops);
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
