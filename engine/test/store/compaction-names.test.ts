// A compaction names its new WAL after its snapshot, as the published opslog
// does, so a reader that orders files by the ms in their names never sees a
// WAL sort before the snapshot it continues from, even when the clock ticks
// between the two.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store } from "../../src/index.js";
import { tempDir } from "../helpers/tmp.js";

const msOf = (path: string) => Number(/-(\d+)\.jsonl?$/.exec(path)![1]);

/** From now on, every Date.now() is one ms later than the one before: each file name crosses a ms. */
function tickingClock(): void {
  let ms = Date.now();
  vi.spyOn(Date, "now").mockImplementation(() => ++ms);
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function manifest(dir: string): Promise<{ currentSnapshot: string; activeOps: string; activeAgentOps?: Record<string, string> }> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8"));
}

describe("Store compaction: file names", () => {
  it("single-writer: the new WAL's ms is after its snapshot's when the clock crosses a ms between them", async () => {
    const dir = await tempDir();
    const store = new Store<Record<string, unknown>>();
    await store.open(dir, { checkpointOnClose: false });
    await store.set("a", { n: 1 });
    tickingClock();
    await store.compact();
    const m = await manifest(dir);
    expect(msOf(m.activeOps)).toBeGreaterThan(msOf(m.currentSnapshot));
    await store.close();
  });

  it("agent mode: the compacting agent's new WAL's ms is after its snapshot's", async () => {
    const dir = await tempDir();
    const store = new Store<Record<string, unknown>>();
    await store.open(dir, { checkpointOnClose: false, agentId: "explorer" });
    await store.set("a", { n: 1 });
    tickingClock();
    await store.compact();
    const m = await manifest(dir);
    expect(msOf(m.activeAgentOps!.explorer)).toBeGreaterThan(msOf(m.currentSnapshot));
    await store.close();
  });
});
