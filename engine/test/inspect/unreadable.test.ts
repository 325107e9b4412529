// A WAL or a folder that exists but cannot be read is reported as what it is:
// an "unreadable-file" warning with the system's code and the path, saying
// which agent's ops and which positions are unknown; never as a torn line or
// a missing file. As root, chmod 000 does not deny reads, so the error is
// injected (node:fs/promises is wrapped to deny chosen paths); the same check
// with a real chmod runs when not root.
import { chmod, readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { StoreWarning } from "../../src/inspect/types.js";
import { walLinesOf } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

const denied = vi.hoisted(() => new Set<string>());

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const guard = <F extends (...args: never[]) => Promise<unknown>>(fn: F, syscall: string) =>
    ((...args: Parameters<F>) => {
      const path = resolve(String(args[0]));
      if (!denied.has(path)) return fn(...args);
      return Promise.reject(Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: "EACCES", errno: -13, syscall, path }));
    }) as F;
  const wrapped = { ...real, open: guard(real.open, "open"), readFile: guard(real.readFile, "open"), readdir: guard(real.readdir, "scandir") };
  return { ...wrapped, default: wrapped };
});

afterEach(() => denied.clear());

type Doc = Record<string, unknown>;

/** Two agents, each with its own WAL: alice writes a1, a2; bob writes b1. */
async function twoAgentStore(): Promise<{ dir: string; walOf: Record<string, string> }> {
  const dir = await suiteDir();
  const alice = new Published<Doc>();
  await alice.open(dir, { agentId: "alice", checkpointOnClose: false });
  const bob = new Published<Doc>();
  await bob.open(dir, { agentId: "bob", checkpointOnClose: false });
  await alice.set("a1", { n: 1 });
  await bob.set("b1", { n: 2 });
  await alice.set("a2", { n: 3 });
  await alice.close();
  await bob.close();
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeAgentOps: Record<string, string> };
  return { dir, walOf: manifest.activeAgentOps };
}

/** The ids in a WAL, read here from its raw lines. */
async function idsIn(dir: string, wal: string): Promise<string[]> {
  return (await walLinesOf(dir, wal)).map((l) => l.op!.id);
}

function expectUnreadableWal(warnings: StoreWarning[], wal: string, code: string): void {
  expect(warnings.filter((w) => w.code === "torn-line" || w.code === "malformed-line" || w.code === "missing-file")).toEqual([]);
  const unreadable = warnings.filter((w) => w.code === "unreadable-file");
  expect(unreadable).toHaveLength(1);
  expect(unreadable[0]).toMatchObject({ file: wal, severity: "error" });
  expect(unreadable[0].message).toContain(`${code}: permission denied`);
  expect(unreadable[0].message).toContain("agent bob's ops");
  expect(unreadable[0].message).toContain("from position 0");
}

describe("a WAL that cannot be read (injected EACCES)", () => {
  it("is an unreadable-file warning naming EACCES, the path, the agent and the unknown positions, not a torn line", async () => {
    const { dir, walOf } = await twoAgentStore();
    denied.add(resolve(dir, walOf.bob));
    const insp = await openInspector(dir, { parallel: "never" });
    try {
      expectUnreadableWal((await insp.summary()).warnings, walOf.bob, "EACCES");
      const ops = await insp.ops({ offset: 0, limit: 10 });
      expect(ops.rows.map((o) => o.id).sort()).toEqual((await idsIn(dir, walOf.alice)).sort());
    } finally {
      await insp.close();
    }
  });
});

describe("a store folder that cannot be listed (injected EACCES)", () => {
  it("snapshots/ is reported unreadable with EACCES, not the current snapshot as missing; the snapshot named in the manifest is still read", async () => {
    const { dir, walOf } = await twoAgentStore();
    denied.add(resolve(dir, "snapshots"));
    const insp = await openInspector(dir, { parallel: "never" });
    try {
      const warnings = (await insp.summary()).warnings;
      expect(warnings.filter((w) => w.code === "missing-file" || w.code === "lost-writes")).toEqual([]);
      const unreadable = warnings.filter((w) => w.code === "unreadable-file");
      expect(unreadable).toHaveLength(1);
      expect(unreadable[0]).toMatchObject({ file: "snapshots" });
      expect(unreadable[0].message).toContain("EACCES: permission denied");
      expect(unreadable[0].message).toContain("snapshots other than the current one");
      const ids = [...(await idsIn(dir, walOf.alice)), ...(await idsIn(dir, walOf.bob))].sort();
      expect((await insp.records({ offset: 0, limit: 10 })).rows.map((r) => r.id).sort()).toEqual(ids);
    } finally {
      await insp.close();
    }
  });
});

const isRoot = process.getuid?.() === 0;
if (isRoot) console.log("unreadable.test.ts: the real-chmod tests are skipped: running as root, where chmod 000 does not deny reads (the injected-EACCES tests above cover the same path)");

describe("a WAL made unreadable with chmod 000 (not as root)", () => {
  for (const parallel of ["never", "always"] as const) {
    it.skipIf(isRoot)(`is an unreadable-file warning with EACCES and the unknown positions (parallel: ${parallel})`, async () => {
      const { dir, walOf } = await twoAgentStore();
      await chmod(join(dir, walOf.bob), 0o000);
      try {
        const insp = await openInspector(dir, { parallel });
        try {
          expectUnreadableWal((await insp.summary()).warnings, walOf.bob, "EACCES");
        } finally {
          await insp.close();
        }
      } finally {
        await chmod(join(dir, walOf.bob), 0o644);
      }
    });
  }

  it.skipIf(isRoot)("snapshots/ made unreadable is reported with EACCES, and so is its current snapshot, not as missing", async () => {
    const { dir } = await twoAgentStore();
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { currentSnapshot: string };
    await chmod(join(dir, "snapshots"), 0o000);
    try {
      expect(await readdir(join(dir, "snapshots")).catch((e: NodeJS.ErrnoException) => e.code)).toBe("EACCES");
      const insp = await openInspector(dir);
      try {
        const warnings = (await insp.summary()).warnings;
        expect(warnings.filter((w) => w.code === "missing-file" || w.code === "lost-writes")).toEqual([]);
        expect(warnings.find((w) => w.code === "unreadable-file" && w.file === "snapshots")?.message).toContain("EACCES");
        expect(warnings.find((w) => w.code === "unreadable-file" && w.file === manifest.currentSnapshot)?.message).toContain("EACCES");
      } finally {
        await insp.close();
      }
    } finally {
      await chmod(join(dir, "snapshots"), 0o755);
    }
  });
});
