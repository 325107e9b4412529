// The inspector in a thread of its own (what the app opens) answers exactly
// as the inspector in this thread, and its errors arrive as the same errors.
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDemoStore } from "../../src/demo.js";
import { OpslogError } from "../../src/errors.js";
import { openInspector } from "../../src/inspect/index.js";
import { openInspectorThread } from "../../src/inspect/thread.js";
import { answers, suiteDir } from "./fixtures.js";

describe("the inspector's thread", () => {
  it("answers every call exactly as the inspector in this thread, tailing included", async () => {
    const dir = await suiteDir();
    await buildDemoStore(dir, { seed: 7 });
    const here = await openInspector(dir);
    const there = await openInspectorThread(dir);
    expect(there.dir).toBe(here.dir);
    expect(await answers(there)).toEqual(await answers(here));
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
    const line = { ts: "2026-03-04T00:00:00.000Z", op: "set", id: "tail-1", data: { title: "tailed" }, prev: null, agent: "planner", clock: 999 };
    await appendFile(join(dir, manifest.activeOps), JSON.stringify(line) + "\n");
    expect(await there.refresh()).toEqual(await here.refresh());
    expect(await there.record({ id: "tail-1" })).toEqual({ title: "tailed" });
    await there.close();
    await here.close();
  });

  it("gives the inspector's errors with their code and file, for opening and for calls", async () => {
    const empty = await suiteDir();
    const notAStore = join(empty, "nothing-here");
    await mkdir(notAStore);
    const opening = await openInspectorThread(notAStore).catch((err: unknown) => err);
    expect(opening).toBeInstanceOf(OpslogError);
    expect(opening).toMatchObject({ code: "not-a-store" });
    const dir = await suiteDir();
    await buildDemoStore(dir, { seed: 7 });
    const there = await openInspectorThread(dir);
    const call = await there.records({ offset: 0, limit: 5, filter: { $where: "true" } }).catch((err: unknown) => err);
    expect(call).toBeInstanceOf(OpslogError);
    expect(call).toMatchObject({ code: "bad-filter" });
    await there.close();
    await expect(there.summary()).rejects.toMatchObject({ code: "not-open" });
  });
});
