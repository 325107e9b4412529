/**
 * The app's own data folder: recent stores, the built-in demo store, saved
 * and recent queries (query-history.ts), and the settings file that the
 * person at the machine edits and no call writes (settings.json: the S3
 * endpoints the machine's credentials may go to, see s3-endpoints.ts).
 * Electron passes app.getPath("userData"); plain Node (browser mode, tests)
 * uses OPSLOG_EXPLORER_HOME, then $XDG_CONFIG_HOME/opslog-explorer, then ~/.config/opslog-explorer.
 */
import { access, mkdir, readFile, rename } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { buildDemoStore } from "../engine/src/demo.js";
import { OpslogError } from "../engine/src/errors.js";
import type { RecentStore } from "./contract.js";
import { QueryHistory } from "./query-history.js";
import { replaceFile, withFileLock } from "./appdata-file.js";

const MAX_RECENT = 12;

export function defaultAppHome(): string {
  if (process.env.OPSLOG_EXPLORER_HOME) return resolve(process.env.OPSLOG_EXPLORER_HOME);
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(config, "opslog-explorer");
}

export class AppData {
  /** Saved and recent queries, per store and filter box (query-history.ts) */
  readonly queries: QueryHistory;

  constructor(readonly home: string = defaultAppHome()) {
    this.queries = new QueryHistory(home);
  }

  /** Where the demo store is (or will be, once demoStore() has built it) */
  get demoFolder(): string {
    return join(this.home, "demo-store");
  }

  /** The demo store's folder, built on first use. */
  async demoStore(): Promise<string> {
    const dir = this.demoFolder;
    try {
      await access(join(dir, "manifest.json"));
    } catch {
      const building = `${dir}.building-${process.pid}`;
      await buildDemoStore(building);
      await mkdir(this.home, { recursive: true });
      await rename(building, dir).catch(() => {}); // another instance won the race: use its copy
    }
    return dir;
  }

  /** settings.json: written by hand only, never by a call */
  get settingsFile(): string {
    return join(this.home, "settings.json");
  }

  /** The S3 endpoints allowed in settings.json (`{"s3Endpoints": ["http://127.0.0.1:9000"]}`); none if the file is absent. */
  async allowedS3Endpoints(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.settingsFile, "utf-8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    let parsed: { s3Endpoints?: unknown };
    try {
      parsed = JSON.parse(text) as { s3Endpoints?: unknown };
    } catch (err) {
      throw new OpslogError("bad-argument", `${this.settingsFile} is not valid JSON (${(err as Error).message}): fix it, e.g. {"s3Endpoints": ["http://127.0.0.1:9000"]}.`, { file: this.settingsFile });
    }
    const list = parsed?.s3Endpoints ?? [];
    if (!Array.isArray(list) || !list.every((e) => typeof e === "string")) throw new OpslogError("bad-argument", `"s3Endpoints" in ${this.settingsFile} must be a list of URLs, e.g. ["http://127.0.0.1:9000"].`, { file: this.settingsFile });
    return list;
  }

  async recent(): Promise<RecentStore[]> {
    try {
      const parsed = JSON.parse(await readFile(join(this.home, "recent.json"), "utf-8")) as unknown;
      return Array.isArray(parsed) ? parsed.filter((r): r is RecentStore => typeof r?.dir === "string" && typeof r?.openedAt === "string") : [];
    } catch {
      return [];
    }
  }

  /** Put a store first in the recent list: under the file's lock, over the list as it is then (another explorer's opens are kept). */
  async remember(dir: string): Promise<void> {
    const path = join(this.home, "recent.json");
    await withFileLock(path, async () => {
      const list = [{ dir, openedAt: new Date().toISOString() }, ...(await this.recent()).filter((r) => r.dir !== dir)].slice(0, MAX_RECENT);
      await replaceFile(path, JSON.stringify(list, null, 2));
    });
  }
}
