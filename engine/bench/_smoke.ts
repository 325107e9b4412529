import { openInspector } from "../src/inspect/index.js";
const dir = process.argv[2];
let t = performance.now();
const insp = await openInspector(dir);
console.log("open", ((performance.now() - t) / 1000).toFixed(1));
const only = process.argv[4]?.split(",");
const { total, tsRange } = await insp.timelineInfo();
const P = { offset: 0, limit: 200 };
const lanes = await insp.lanes();
const ids = (await insp.records(P)).rows.map((r) => r.id);
const calls: [string, () => Promise<unknown>][] = [
  ["past filter", () => insp.records({ at: Math.floor(total / 3), ...P, filter: { status: "review", n: { $gt: Math.floor(total / 10) } } })],
  ["head filter", () => insp.records({ ...P, filter: { status: "review", n: { $gt: Math.floor(total / 10) } } })],
  ["past filter 2", () => insp.records({ at: Math.floor(total / 4), ...P, filter: { status: "review", n: { $gt: Math.floor(total / 10) } } })],
  ["head filter 2", () => insp.records({ ...P, filter: { owner: "agent-b", title: { $gte: "Task task-05" } } })],
  ["summary", () => insp.summary()],
  ["ops end", () => insp.ops({ offset: total - 100, limit: 200 })],
  ["op", () => insp.op({ pos: total - 1 })],
  ["timelineEvents", () => insp.timelineEvents()],
  ["buckets", () => insp.buckets({ buckets: 400 })],
  ["posAtTime", () => insp.posAtTime({ ts: tsRange![1] })],
  ["diff 0..total", () => insp.diff({ a: 0, b: total, ...P })],
  ["diff 0..total last page", () => insp.diff({ a: 0, b: total, offset: 999_000, limit: 200 })],
  ["diff half", () => insp.diff({ a: Math.floor(total / 2), b: total, ...P })],
  ["diff filtered 0..total", () => insp.diff({ a: 0, b: total, ...P, filter: { status: "review" } })],
  ["records last page", () => insp.records({ offset: 999_900, limit: 200 })],
  ["records filtered $ne", () => insp.records({ ...P, filter: { status: { $ne: "todo" } } })],
  ["records filtered sort?", () => insp.records({ ...P, at: total - 5, filter: { n: { $gte: 5 } } })],
  ["record", () => insp.record({ id: ids[0], at: Math.floor(total / 2) })],
  ["columns", () => insp.columns()],
  ["schema", () => insp.schema({ at: Math.floor(total / 2), sample: 0 })],
  ["recordHistory", () => insp.recordHistory({ id: ids[0] })],
  ["laneOps", () => insp.laneOps({ path: lanes[lanes.length - 1].path, offset: 1_249_900, limit: 200 })],
  ["conflicts", () => insp.conflicts(P)],
  ["lostWrites", () => insp.lostWrites(P)],
  ["archiveSegments", () => insp.archiveSegments()],
];
for (const [name, call] of calls) {
  if (only && !only.includes(name)) continue;
  t = performance.now();
  try {
    const r = await call();
    const s = JSON.stringify(r);
    console.log(name, (performance.now() - t).toFixed(0), "ms", s.length > 150 ? s.slice(0, 150) : s);
  } catch (err) {
    console.log(name, "FAILED", (err as Error).stack?.split("\n").slice(0, 6).join(" | "));
  }
}
await insp.close();
