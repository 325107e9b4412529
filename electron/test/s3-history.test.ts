// An S3 store opens on its current period (what opslog-s3's own open reads:
// the manifest, the current snapshot, the active WALs) and answers at once,
// while the history behind it is fetched: store.history says how much is
// left, and once it is in, listeners hear "rebuilt" and every read answers
// as a full open's. The store is written by the published opslog +
// opslog-s3 (a retired WAL with lost writes, an archive, an undo).
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppData } from "../appdata.js";
import type { HistoryProgress, OpenResult, StoreChangedEvent } from "../contract.js";
import { Handlers } from "../handlers.js";
import type { HandlerOptions } from "../handlers.js";
import { startS3Server } from "../../engine/test/helpers/s3server.js";
import type { S3TestServer } from "../../engine/test/helpers/s3server.js";
import { publishedS3State, writeS3Store } from "../../engine/test/s3/fixtures.js";
import { readCalls, removeDir, tempDir, valueOf } from "./helpers.js";

let server: S3TestServer;
let work: string;
beforeAll(async () => {
  server = await startS3Server();
  work = await tempDir("s3-history");
  await writeS3Store(server, "history/store");
});
afterAll(async () => {
  await server?.close();
  if (work) await removeDir(work);
});

function handlersFor(name: string, options: Partial<HandlerOptions> = {}): Handlers {
  const home = `${work}/${name}-home`;
  mkdirSync(home, { recursive: true });
  writeFileSync(`${home}/settings.json`, JSON.stringify({ s3Endpoints: [server.endpoint] }));
  return new Handlers({ appData: new AppData(home), pollMs: 0, s3CacheRoot: `${work}/${name}-cache`, ...options });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every read call's answer that speaks of the store (not of the explorer's app data), with the mirror's folder, file times and the time of the check left out. */
async function storeAnswers(handlers: Handlers, cacheRoot: string, calls: [string, unknown][]): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, arg] of calls) out[`${name} ${JSON.stringify(arg)}`] = await handlers.dispatch(name, arg);
  return JSON.parse(JSON.stringify(out).split(cacheRoot).join("<cache>"), (key, value: unknown) => (key === "mtime" || key === "mtimeMs" || key === "checkedAt" ? undefined : value));
}

const OWN = new Set(["store.recent", "store.folders", "cache.clearIndex", "store.pickDirectory", "store.pending", "store.loading", "store.preview", "store.history", "savedFilters.remember", "savedFilters.save", "savedFilters.list", "savedFilters.forget"]);

describe("an S3 store, current period first", () => {
  it("answers the records opslog-s3's own open reads while the history is held back, says how much history is left, and once it is in answers every read as a full open", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const early = handlersFor("early", { holdHistory: () => held });
    const events: StoreChangedEvent[] = [];
    early.store.onChange((e) => events.push(e));
    const opened = valueOf<OpenResult>(await early.dispatch("store.open", { dir: server.url("history/store") }));
    const left = valueOf<HistoryProgress | null>(await early.dispatch("store.history", {}));
    expect(left).toMatchObject({ listed: false, objects: 0, totalObjects: 0, failed: null }); // held back before its listing
    const rows = valueOf<{ rows: { id: string; data: unknown }[] }>(await early.dispatch("records", { offset: 0, limit: 1000 })).rows.map((r) => [r.id, r.data]);
    expect(rows.sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual(await publishedS3State(server, "history/store"));

    const full = handlersFor("full");
    const whole = valueOf<OpenResult>(await full.dispatch("store.open", { dir: server.url("history/store") }));
    await until("the full open's history", async () => valueOf(await full.dispatch("store.history", {})) === null);
    expect(opened.summary.lanes.length).toBeLessThan(whole.summary.lanes.length); // the retired WAL's lane is history

    release();
    await until("the history", () => events.some((e) => e.what === "rebuilt"));
    expect(valueOf(await early.dispatch("store.history", {}))).toBeNull();
    const calls = readCalls({ lanes: whole.summary.lanes.map((l) => l.path), archive: whole.summary.archiveSegments[0]?.path ?? null }).filter(([name]) => !OWN.has(name));
    expect(await storeAnswers(early, `${work}/early-cache`, calls)).toEqual(await storeAnswers(full, `${work}/full-cache`, calls));
    await early.store.closeSession();
    await full.store.closeSession();
  });
});
