// A full disk as the user meets it: actions.set in writer mode on a store
// whose disk is full answers "disk-full" with the WAL's path (never "Something
// went wrong inside the explorer"), leaves every byte of the store as it was,
// and once space is freed the next write is read by the published opslog.
// The disk is a real one (a small tmpfs; skipped with the reason printed where
// mounting is impossible); any other write that meets ENOSPC is answered the
// same way, checked with an injected error.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { OpenResult } from "../contract.js";
import { Handlers, toContractError } from "../handlers.js";
import { publishedState, sixTasksCompactedThenEdited } from "../../engine/test/scenarios/index.js";
import { fillDisk, mountTmpfs } from "../../engine/test/helpers/tmpfs.js";
import { digestTree, errorOf, removeDir, tempDir, valueOf } from "./helpers.js";

describe("a full disk in writer mode", () => {
  it("actions.set says the disk is full and names the WAL, changes no byte of the store, and the write after space is freed is read by the published opslog", async (ctx) => {
    const disk = await mountTmpfs(2 * 1024 * 1024);
    if ("cannot" in disk) {
      console.log(`skipped: a real full disk needs a tmpfs: ${disk.cannot}`);
      ctx.skip();
      return;
    }
    const home = await tempDir("disk-full");
    const handlers = new Handlers({ appData: new AppData(home), pollMs: 0 });
    try {
      const facts = await sixTasksCompactedThenEdited.build(join(disk.dir, "store"));
      valueOf<OpenResult>(await handlers.dispatch("store.open", { dir: facts.dir, mode: "writer" }));
      const before = await digestTree(facts.dir);
      const walBefore = await readFile(join(facts.dir, facts.manifest.activeOps));
      const filler = await fillDisk(disk.dir, 8192);
      const big = { title: "too big for the disk", notes: "x".repeat(60_000) };
      const error = errorOf(await handlers.dispatch("actions.set", { id: "task-9", value: big }));
      expect(error.code).toBe("disk-full");
      expect(error.message).toContain(`The disk is full (ENOSPC): the op could not be appended to ${join(facts.dir, facts.manifest.activeOps)}`);
      expect(error.message).toContain("so the store was not changed");
      expect(error.message).not.toMatch(/Something went wrong/);
      const after = await digestTree(facts.dir);
      expect(after).toEqual({ ...before, ".lock": after[".lock"] }); // the explorer's own lock aside
      expect(await readFile(join(facts.dir, facts.manifest.activeOps))).toEqual(walBefore);
      expect(await publishedState(facts.dir)).toEqual(facts.state);
      await rm(filler);
      valueOf(await handlers.dispatch("actions.set", { id: "task-9", value: big }));
      expect(new Map(await publishedState(facts.dir)).get("task-9")).toEqual(big);
    } finally {
      await handlers.store.dispose();
      await disk.unmount();
      await removeDir(home);
    }
  });
});

describe("ENOSPC from any other write", () => {
  it("is answered as a full disk with the file's path, not as an error inside the explorer", () => {
    const err = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", path: "/data/exports/records.csv" });
    const answer = toContractError(err);
    expect(answer.code).toBe("disk-full");
    expect(answer.message).toContain("The disk is full (ENOSPC): /data/exports/records.csv");
    expect(answer.message).not.toMatch(/Something went wrong/);
  });
});
