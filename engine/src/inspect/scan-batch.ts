/**
 * What a scan worker sends for a chunk of a WAL's ops (scan-protocol.ts:
 * ScanBatch): each op's place and fields in typed arrays, the hashes of its
 * data and of its full prev, its record and agent as numbers (the names go
 * once, when first seen), and the short top-level values of its data as
 * column codes (value-codes.ts). One encoder per worker: its numbers and
 * dictionaries run on across the batches of all lanes.
 */
import { hashFullPrev, hashValue } from "./hash.js";
import { IdIndex } from "./id-index.js";
import { BATCH_F64, BATCH_I32, F_CLOCK, F_OFFSET, F_TS, FLAG_DATA, FLAG_DELETE, FLAG_DELTA, FLAG_KEPT, FLAG_OVERFLOW, FLAG_PREV, FLAG_TORN_BY_UNDO, I_AGENT, I_DATA0, I_DATA1, I_FLAGS, I_LENGTH, I_LINE, I_PREV0, I_PREV1, I_REC } from "./scan-protocol.js";
import type { ScanBatch } from "./scan-protocol.js";
import { BatchColumnEncoder, isRecordData } from "./value-codes.js";
import type { ScannedOp } from "./walscan.js";

export class ScanBatchEncoder {
  private readonly agents = new Map<string, number>();
  /** Record ids by the worker's numbers, and the way back */
  private readonly ids: string[] = [];
  private readonly records = new IdIndex(this.ids);
  private readonly columns = new BatchColumnEncoder();
  private readonly hash = new Int32Array(2);

  /** The batch for these ops, parsed from one WAL (lane: the lane's number in the scan). */
  encode(lane: number, ops: ScannedOp[]): ScanBatch {
    const n = ops.length;
    const f64 = new Float64Array(n * BATCH_F64);
    const i32 = new Int32Array(n * BATCH_I32);
    const newIds: string[] = [];
    const oddTs: [number, string][] = [];
    const lineHashes: [number, string][] = [];
    const newAgents: string[] = [];
    this.columns.begin(n);
    for (let j = 0; j < n; j++) {
      const op = ops[j];
      const f = j * BATCH_F64;
      const i = j * BATCH_I32;
      f64[f + F_OFFSET] = op.offset;
      f64[f + F_CLOCK] = op.clock ?? NaN;
      f64[f + F_TS] = op.tsMs;
      if (Number.isNaN(op.tsMs)) oddTs.push([j, op.ts]);
      if (op.lineHash) lineHashes.push([j, op.lineHash]);
      let agent = 0;
      if (op.agent !== null) {
        agent = this.agents.get(op.agent) ?? 0;
        if (agent === 0) {
          agent = this.agents.size + 1;
          this.agents.set(op.agent, agent);
          newAgents.push(op.agent);
        }
      }
      i32[i + I_LINE] = op.line;
      i32[i + I_LENGTH] = op.length;
      i32[i + I_AGENT] = agent;
      let rec = this.records.get(op.id);
      if (rec === -1) {
        rec = this.ids.push(op.id) - 1;
        this.records.add(op.id, rec);
        newIds.push(op.id);
      }
      i32[i + I_REC] = rec;
      let flags = (op.op === "delete" ? FLAG_DELETE : 0) | (op.encoding === "delta" ? FLAG_DELTA : 0) | (op.hasPrev ? FLAG_PREV : 0) | (op.tornByUndo ? FLAG_TORN_BY_UNDO : 0);
      if (op.data !== null) {
        flags |= FLAG_DATA;
        if (isRecordData(op.data)) flags |= this.columns.keep(j, op.data, rec, this.hash) ? FLAG_KEPT : FLAG_KEPT | FLAG_OVERFLOW;
        else hashValue(op.data, this.hash);
        i32[i + I_DATA0] = this.hash[0];
        i32[i + I_DATA1] = this.hash[1];
      }
      i32[i + I_FLAGS] = flags;
      if (op.rawPrev !== null) {
        hashFullPrev(op, this.hash);
        i32[i + I_PREV0] = this.hash[0];
        i32[i + I_PREV1] = this.hash[1];
      }
    }
    return { kind: "batch", lane, n, f64, i32, newIds, oddTs, lineHashes, newAgents, ...this.columns.end() };
  }
}
