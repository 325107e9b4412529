import { buildDemoStore } from "../src/demo.js";
import { openInspector } from "../src/inspect/index.js";
import { Store } from "@backloghq/opslog";
import { rm, cp } from "node:fs/promises";
const dir = "/tmp/insp/demo";
await rm(dir, { recursive: true, force: true });
await rm(dir + "2", { recursive: true, force: true });
const t0 = performance.now();
await buildDemoStore(dir);
console.log("build ms", performance.now() - t0);
await cp(dir, dir + "2", { recursive: true });
const insp = await openInspector(dir);
const s = await insp.summary();
console.log(JSON.stringify({ kind: s.kind, counts: s.counts, warnings: s.warnings.map(w=>w.message) }));
const ti = await insp.timelineInfo();
console.log(ti.links.map(l => [l.epoch, l.snapshot, l.wals.length, l.next, l.startPos, l.endPos, l.verified, l.mismatchIds].join(" ")));
const now = await insp.records({ offset: 0, limit: 10000 });
const b = JSON.stringify(now.rows.map(r => [r.id, r.data]));
for (const [d, agentId] of [[dir, undefined], [dir + "2", "observer"]] as const) {
  const pub = new Store(); await pub.open(d, { readOnly: agentId === undefined, ...(agentId ? { agentId } : {}) });
  const a = JSON.stringify([...pub.entries()].sort((x, y) => x[0] < y[0] ? -1 : 1));
  console.log("equal now:", agentId, a === b, now.total);
  await pub.close();
}
console.log((await insp.conflicts({ offset: 0, limit: 5 })).total, (await insp.lostWrites({ offset: 0, limit: 5 })).rows.map(r => [r.file, r.line, r.id]));
