// A full disk while the engine's Store appends (writer mode): the append
// fails with "disk-full" naming the WAL, the WAL is cut back to the bytes it
// held (no partial line), the published opslog reads the store as before, and
// once there is space again the next write is one the published opslog reads.
// Covered twice: on a real full disk (a small tmpfs, when mounting is
// possible) and by injected errors (node:fs/promises wrapped so that a write
// to the WAL lands part-way, then fails with ENOSPC), which run everywhere.
import { readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store } from "../../src/index.js";
import { OpslogError } from "../../src/errors.js";
import { plannerAndWorkerOnJobs, publishedState, publishedStateOfCopy, sixTasksCompactedThenEdited } from "../scenarios/index.js";
import { tempDir } from "../helpers/tmp.js";
import { fillDisk, mountTmpfs } from "../helpers/tmpfs.js";

type Doc = Record<string, unknown>;

/** WALs whose next write lands only `landed` bytes, then fails with ENOSPC; `cutFails`: truncating it fails too (EIO). */
const faults = vi.hoisted(() => ({ wals: new Map<string, { landed: number; cutFails: boolean }>() }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const enospc = (path: string) => Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC", errno: -28, syscall: "write", path });
  const fault = (path: unknown) => faults.wals.get(resolve(String(path)));
  /** A handle whose first write lands part-way and fails, as on a disk with a few bytes left. */
  const faulty = (fh: import("node:fs/promises").FileHandle, path: string, how: { landed: number; cutFails: boolean }) =>
    new Proxy(fh, {
      get(target, prop) {
        if (prop === "write") {
          return async (buffer: Buffer, offset = 0, length = buffer.length - offset) => {
            await target.write(buffer, offset, Math.min(length, how.landed));
            throw enospc(path);
          };
        }
        if (prop === "truncate" && how.cutFails) return () => Promise.reject(Object.assign(new Error(`EIO: i/o error, ftruncate`), { code: "EIO" }));
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const wrapped = {
    ...real,
    open: async (path: Parameters<typeof real.open>[0], ...rest: [string?, number?]) => {
      const fh = await real.open(path, ...rest);
      const how = fault(path);
      return how ? faulty(fh, String(path), how) : fh;
    },
    // The same fault for a whole-file append, however the engine appends.
    appendFile: async (path: Parameters<typeof real.appendFile>[0], data: string | Uint8Array, ...rest: unknown[]) => {
      const how = fault(path);
      if (!how) return real.appendFile(path, data, ...(rest as []));
      await real.appendFile(path, Buffer.from(data).subarray(0, how.landed));
      throw enospc(String(path));
    },
  };
  return { ...wrapped, default: wrapped };
});

afterEach(() => faults.wals.clear());

const bigValue = (label: string) => ({ title: label, notes: "x".repeat(40_000) });

async function openWriter(dir: string): Promise<Store<Doc>> {
  const store = new Store<Doc>();
  await store.open(dir, { checkpointOnClose: false });
  return store;
}

async function failedWrite(store: Store<Doc>, id: string): Promise<OpslogError> {
  const err = await Promise.resolve(store.set(id, bigValue(id))).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpslogError);
  return err as OpslogError;
}

describe("a full disk while appending (injected: the write lands part-way, then ENOSPC)", () => {
  it("cuts the WAL back to the bytes it held, says the disk is full and names the WAL; the published opslog reads the store as before", async () => {
    const facts = await sixTasksCompactedThenEdited.build(await tempDir());
    const wal = join(facts.dir, facts.manifest.activeOps);
    const before = await readFile(wal);
    const store = await openWriter(facts.dir);
    faults.wals.set(wal, { landed: 5_000, cutFails: false });
    const err = await failedWrite(store, "task-9");
    faults.wals.clear();
    expect(err.code).toBe("disk-full");
    expect(err.message).toContain("The disk is full (ENOSPC)");
    expect(err.message).toContain(wal);
    expect(err.message).toMatch(/cut back .* so the store was not changed/);
    expect(err.file).toBe(wal);
    expect(await readFile(wal)).toEqual(before);
    expect(store.has("task-9")).toBe(false);
    expect(await publishedState(facts.dir)).toEqual(facts.state);
    // Space again: the next write is whole, and the published opslog reads it.
    await store.set("task-9", bigValue("after"));
    await store.close();
    expect(new Map(await publishedState(facts.dir)).get("task-9")).toEqual(bigValue("after"));
  });

  it("when cutting back fails too, says exactly which bytes are left; the next write still starts a line of its own that the published opslog reads", async () => {
    const facts = await sixTasksCompactedThenEdited.build(await tempDir());
    const wal = join(facts.dir, facts.manifest.activeOps);
    const before = await readFile(wal);
    const store = await openWriter(facts.dir);
    faults.wals.set(wal, { landed: 3_000, cutFails: true });
    const err = await failedWrite(store, "task-9");
    faults.wals.clear();
    expect(err.code).toBe("disk-full");
    expect(err.message).toContain(`It now holds 3000 byte(s) of a partial line after byte ${before.length}`);
    expect(err.message).toContain(`truncate -s ${before.length} '${wal}'`);
    const after = await readFile(wal);
    expect(after.subarray(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + 3_000);
    expect(await publishedState(facts.dir)).toEqual(facts.state); // the partial line is skipped, nothing earlier lost
    await store.set("task-10", { title: "after the torn line" });
    expect(store.get("task-10")).toEqual({ title: "after the torn line" });
    expect(await store.tail()).toEqual([]); // the file read again past the torn bytes: no op twice, none missing
    expect(store.count()).toBe(facts.state.length + 1);
    await store.close();
    const read = new Map(await publishedState(facts.dir));
    expect(read.get("task-10")).toEqual({ title: "after the torn line" });
    expect(read.has("task-9")).toBe(false);
  });

  it("a batch that fails part-way leaves none of its lines and none of its records", async () => {
    const facts = await sixTasksCompactedThenEdited.build(await tempDir());
    const wal = join(facts.dir, facts.manifest.activeOps);
    const before = await readFile(wal);
    const store = await openWriter(facts.dir);
    faults.wals.set(wal, { landed: 60, cutFails: false });
    const err = await store.batch(() => {
      void store.set("b-1", { n: 1 });
      void store.set("b-2", { n: 2 });
    }).then(() => null, (e: unknown) => e as OpslogError);
    faults.wals.clear();
    expect(err?.code).toBe("disk-full");
    expect(await readFile(wal)).toEqual(before);
    expect([store.has("b-1"), store.has("b-2")]).toEqual([false, false]);
    await store.close();
    expect(await publishedState(facts.dir)).toEqual(facts.state);
  });
});

describe("a full disk while appending in agent mode (injected)", () => {
  it("leaves the agent's WAL as it was; after a partial line is left, the next write and a refresh read right, and the published opslog reads it", async () => {
    const facts = await plannerAndWorkerOnJobs.build(await tempDir());
    const store = new Store<Doc>();
    await store.open(facts.dir, { agentId: "explorer", checkpointOnClose: false });
    const manifest = JSON.parse(await readFile(join(facts.dir, "manifest.json"), "utf-8")) as { activeAgentOps: Record<string, string> };
    const wal = join(facts.dir, manifest.activeAgentOps.explorer);
    faults.wals.set(wal, { landed: 40, cutFails: false });
    expect((await failedWrite(store, "job-9")).code).toBe("disk-full");
    expect(await readFile(wal, "utf-8")).toBe("");
    faults.wals.set(wal, { landed: 40, cutFails: true }); // this time 40 bytes stay behind
    expect((await failedWrite(store, "job-9")).message).toContain("It now holds 40 byte(s) of a partial line after byte 0");
    faults.wals.clear();
    await store.set("job-9", { title: "Job 9", state: "planned" });
    for (const look of [() => store.tail(), () => store.refresh()]) {
      await look(); // a tail after the torn bytes reads the WAL again; a refresh reloads every WAL
      expect(store.get("job-9")).toEqual({ title: "Job 9", state: "planned" });
      expect(store.count()).toBe(facts.state.length + 1);
    }
    await store.close();
    expect(new Map(await publishedStateOfCopy(facts.dir, true)).get("job-9")).toEqual({ title: "Job 9", state: "planned" });
  });
});

describe("a full disk while appending (a real one: a 1 MB tmpfs)", () => {
  it("cuts the WAL back, says the disk is full with the WAL's path; after space is freed the next write is read by the published opslog", async (ctx) => {
    const disk = await mountTmpfs(1024 * 1024);
    if ("cannot" in disk) {
      console.log(`skipped: a real full disk needs a tmpfs: ${disk.cannot}`);
      ctx.skip();
      return;
    }
    let store: Store<Doc> | null = null;
    try {
      const facts = await sixTasksCompactedThenEdited.build(join(disk.dir, "store"));
      const wal = join(facts.dir, facts.manifest.activeOps);
      const before = await readFile(wal);
      store = await openWriter(facts.dir);
      const filler = await fillDisk(disk.dir, 8192); // two pages free: the 40 KB op lands part-way
      const err = await failedWrite(store, "task-9");
      expect(err.code).toBe("disk-full");
      expect(err.message).toContain(`The disk is full (ENOSPC): the op could not be appended to ${wal}`);
      expect(await readFile(wal)).toEqual(before);
      expect(await publishedState(facts.dir)).toEqual(facts.state);
      await rm(filler);
      await store.set("task-9", bigValue("after"));
      await store.close();
      store = null;
      const read = new Map(await publishedState(facts.dir));
      expect(read.get("task-9")).toEqual(bigValue("after"));
    } finally {
      await store?.close().catch(() => undefined);
      await disk.unmount();
    }
  });
});
