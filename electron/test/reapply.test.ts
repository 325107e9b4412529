// Re-applying lost writes through the contract, on stores written by the
// published opslog: the preview's now, after and later ops match the raw WAL
// lines and the published opslog's reading, the write refuses when a record
// moved on since the preview, and afterwards the published opslog reads the
// re-applied values and each lost write says which op re-applied it (op #N
// counted from the raw lines: every line replayed, the explorer's last).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { ActionResult, LostWriteRow, Page, ReapplyPreview } from "../contract.js";
import { Handlers } from "../handlers.js";
import { lostFixThenLaterEdits, lostWritesUnseenThenRetired, openPublishedAgent, publishedStateOfCopy } from "../../engine/test/scenarios/index.js";
import type { Doc, RawOp } from "../../engine/test/scenarios/index.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

let work: string;
let handlers: Handlers;

beforeEach(async () => {
  work = await tempDir("reapply");
  handlers = new Handlers({ appData: new AppData(join(work, "home")), pollMs: 0 });
});
afterEach(async () => {
  await handlers.store.closeSession();
  await removeDir(work);
});

interface Line { file: string; line: number; op: RawOp }
/** Every raw WAL line, file by file. */
async function rawLines(dir: string): Promise<Line[]> {
  const out: Line[] = [];
  for (const f of (await readdir(join(dir, "ops"))).sort()) {
    (await readFile(join(dir, "ops", f), "utf-8")).split("\n").forEach((text, i) => text.trim() && out.push({ file: `ops/${f}`, line: i + 1, op: JSON.parse(text) as RawOp }));
  }
  return out;
}
const published = async (dir: string) => Object.fromEntries(await publishedStateOfCopy(dir, true)) as Record<string, Doc>;
const lostPage = async () => valueOf<Page<LostWriteRow>>(await handlers.dispatch("lostWrites.page", { offset: 0, limit: 100 }));

async function openFixStore(): Promise<{ dir: string; bobFix: Line; bobT9: Line }> {
  const dir = (await lostFixThenLaterEdits.build(join(work, "fix"))).dir;
  valueOf(await handlers.dispatch("store.open", { dir, mode: "agent", agentId: "explorer" }));
  const lines = await rawLines(dir);
  const bob = lines.filter((l) => l.op.agent === "bob");
  return { dir, bobFix: bob.find((l) => l.op.id === "t1" && l.op.data?.note)!, bobT9: bob.find((l) => l.op.id === "t9")! };
}

describe("re-applying lost writes", () => {
  it("previews each record now (as the published opslog reads it), after (the lost line's value) and the later ops it overrides (from the raw lines)", async () => {
    const { dir, bobFix, bobT9 } = await openFixStore();
    const now = await published(dir);
    const later = (await rawLines(dir)).filter((l) => l.op.id === "t1" && l.op.ts > bobFix.op.ts).map((l) => ({ file: l.file, line: l.line, agent: l.op.agent }));
    expect(later).toHaveLength(2);
    const preview = valueOf<ReapplyPreview>(await handlers.dispatch("actions.reapplyPreview", { writes: [bobFix, bobT9].map(({ file, line }) => ({ file, line })) }));
    const [t1, t9] = preview.records;
    expect(t1).toMatchObject({ id: "t1", now: now.t1, after: bobFix.op.data, unchanged: false, laterOpsTotal: 2 });
    expect(t1.laterOps.map(({ file, line, agent }) => ({ file, line, agent }))).toEqual(later);
    expect(t1.explanation).toMatch(/overriding what 2 later op\(s\) changed/);
    expect(t9).toMatchObject({ id: "t9", now: null, after: bobT9.op.data, laterOpsTotal: 0 });
  });

  it("writes the lost values anew: the published opslog reads them, and each lost write reads 're-applied as op #N'", async () => {
    const { dir, bobFix, bobT9 } = await openFixStore();
    const writes = [bobFix, bobT9].map(({ file, line }) => ({ file, line }));
    const preview = valueOf<ReapplyPreview>(await handlers.dispatch("actions.reapplyPreview", { writes }));
    const result = valueOf<ActionResult>(await handlers.dispatch("actions.reapply", { writes, seen: preview.records.map((r) => r.seen) }));
    const state = await published(dir);
    expect(state.t1).toEqual(bobFix.op.data);
    expect(state.t9).toEqual(bobT9.op.data);
    // Every raw line is replayed but bob's two in his retired WAL; the explorer's two are the last, in the order written.
    const replayed = (await rawLines(dir)).length - 2;
    expect(result.message).toBe(`Re-applied 2 lost write(s): "t1" as op #${replayed - 1}, "t9" as op #${replayed}.`);
    const rows = (await lostPage()).rows;
    expect(rows.find((r) => r.line === bobFix.line && r.file === bobFix.file)?.reappliedAs?.pos).toBe(replayed - 2);
    expect(rows.find((r) => r.line === bobT9.line && r.file === bobT9.file)?.reappliedAs?.pos).toBe(replayed - 1);
  });

  it("refuses when a record moved on since the preview, and writes nothing", async () => {
    const { dir, bobFix } = await openFixStore();
    const writes = [{ file: bobFix.file, line: bobFix.line }];
    const preview = valueOf<ReapplyPreview>(await handlers.dispatch("actions.reapplyPreview", { writes }));
    const alice = await openPublishedAgent(dir, "alice");
    await alice.set("t1", { status: "reopened", n: 1 } as never);
    await alice.close();
    const before = await digestTree(dir);
    const error = errorOf(await handlers.dispatch("actions.reapply", { writes, seen: preview.records.map((r) => r.seen) }));
    expect(error.code).toBe("changed-on-disk");
    expect(error.message).toMatch(/"t1" changed since the preview \(3 later op\(s\) now, 2 when you looked/);
    expect(await digestTree(dir)).toEqual(before);
  });

  it("re-applies writes a compaction dropped unseen (they have a position), as the published opslog reads them back", async () => {
    const s = await lostWritesUnseenThenRetired.build(join(work, "unseen"));
    valueOf(await handlers.dispatch("store.open", { dir: s.dir, mode: "agent", agentId: "explorer" }));
    const lines = await rawLines(s.dir);
    const unseen = s.lostWrites.unseenIds.map((id) => lines.find((l) => l.op.agent === "bob" && l.op.id === id)!);
    const writes = unseen.map(({ file, line }) => ({ file, line }));
    const preview = valueOf<ReapplyPreview>(await handlers.dispatch("actions.reapplyPreview", { writes }));
    expect(preview.records.map((r) => [r.id, r.after])).toEqual(unseen.map((l) => [l.op.id, l.op.data]));
    expect(preview.records.every((r) => r.writes[0].pos !== null && r.writes[0].reason === "unseen-by-compaction")).toBe(true);
    valueOf(await handlers.dispatch("actions.reapply", { writes, seen: preview.records.map((r) => r.seen) }));
    const state = await published(s.dir);
    for (const l of unseen) expect(state[l.op.id]).toEqual(l.op.data);
  });

  it("is refused read-only", async () => {
    const { dir } = await lostFixThenLaterEdits.build(join(work, "ro"));
    valueOf(await handlers.dispatch("store.open", { dir }));
    const row = (await lostPage()).rows[0];
    expect(row.reappliedAs).toBeNull();
    const preview = valueOf<ReapplyPreview>(await handlers.dispatch("actions.reapplyPreview", { writes: [{ file: row.file, line: row.line }] }));
    expect(errorOf(await handlers.dispatch("actions.reapply", { writes: [{ file: row.file, line: row.line }], seen: preview.records.map((r) => r.seen) })).code).toBe("read-only");
  });
});
