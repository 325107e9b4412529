// The engine's Store does not read a WAL it cannot read as empty: opening
// fails with an "io" error naming the system's code and the file, so no op
// silently vanishes. As root, chmod 000 does not deny reads, so the error is
// injected (node:fs/promises is wrapped to deny the WAL); the same check with
// a real chmod runs when not root.
import { chmod, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store } from "../../src/index.js";
import { tempDir } from "../helpers/tmp.js";

const denied = vi.hoisted(() => new Set<string>());

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const guard = <F extends (...args: never[]) => Promise<unknown>>(fn: F) =>
    ((...args: Parameters<F>) => {
      const path = resolve(String(args[0]));
      if (!denied.has(path)) return fn(...args);
      return Promise.reject(Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES", errno: -13, syscall: "open", path }));
    }) as F;
  const wrapped = { ...real, open: guard(real.open), readFile: guard(real.readFile) };
  return { ...wrapped, default: wrapped };
});

afterEach(() => denied.clear());

type Doc = Record<string, unknown>;

async function storeWithWal(agentId?: string): Promise<{ dir: string; wal: string }> {
  const dir = await tempDir();
  const store = new Published<Doc>();
  await store.open(dir, { agentId, checkpointOnClose: false });
  await store.set("a", { n: 1 });
  await store.close();
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string; activeAgentOps?: Record<string, string> };
  return { dir, wal: join(dir, agentId ? manifest.activeAgentOps![agentId] : manifest.activeOps) };
}

const modes: [string, string | undefined, object][] = [
  ["read-only", undefined, { readOnly: true }],
  ["writer", undefined, { checkpointOnClose: false }],
  ["agent", "agent-a", { agentId: "agent-a", checkpointOnClose: false }],
];

describe("Store: a WAL that cannot be read (injected EACCES)", () => {
  for (const [mode, agentId, options] of modes) {
    it(`${mode}: opening fails with an io error naming EACCES and the WAL, instead of an empty store`, async () => {
      const { dir, wal } = await storeWithWal(agentId);
      denied.add(resolve(wal));
      const error = await new Store<Doc>().open(dir, options).then(() => null, (err: unknown) => err);
      expect(error).toMatchObject({ code: "io", file: wal });
      expect((error as Error).message).toContain(`EACCES: permission denied, open '${resolve(wal)}'`);
    });
  }
});

const isRoot = process.getuid?.() === 0;
if (isRoot) console.log("unreadable-wal.test.ts: the real-chmod test is skipped: running as root, where chmod 000 does not deny reads (the injected-EACCES tests above cover the same path)");

describe("Store: a WAL made unreadable with chmod 000 (not as root)", () => {
  it.skipIf(isRoot)("read-only: opening fails with an io error naming EACCES and the WAL", async () => {
    const { dir, wal } = await storeWithWal();
    await chmod(wal, 0o000);
    try {
      const error = await new Store<Doc>().open(dir, { readOnly: true }).then(() => null, (err: unknown) => err);
      expect(error).toMatchObject({ code: "io", file: wal });
      expect((error as Error).message).toContain("EACCES");
    } finally {
      await chmod(wal, 0o644);
    }
  });
});
