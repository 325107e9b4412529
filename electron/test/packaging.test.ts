// Packaging, checked as far as it can be without the Electron binary: the
// electron-builder config passes electron-builder's own schema, names the
// targets, and ships what start.mjs/dist.mjs build; the bundles load and run.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDemoStore } from "../../engine/src/demo.js";
import { openInspector } from "../../engine/src/inspect/index.js";

const root = new URL("../..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(root, "build/electron-builder.json"), "utf-8"));

function electronBinaryPresent(): boolean {
  try {
    const path = require("electron") as unknown;
    return typeof path === "string" && existsSync(path);
  } catch {
    return false;
  }
}

describe("the electron-builder configuration", () => {
  it("passes electron-builder's own schema", async () => {
    const { validateConfiguration } = require("app-builder-lib/out/util/config/config.js") as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
    await expect(validateConfiguration(config, { add() {}, isEnabled: false })).resolves.toBeUndefined();
  });

  it("names the app and builds AppImage and deb, dmg, nsis", () => {
    expect(config.appId).toBe("dev.opslog.explorer");
    expect(config.productName).toBe("opslog explorer");
    expect(config.asar).toBe(true);
    expect(config.linux.target).toEqual(["AppImage", "deb"]);
    expect(config.mac.target).toEqual(["dmg"]);
    expect(config.win.target).toEqual(["nsis"]);
  });

  it("ships the bundled main process, the preload, the scan worker and the renderer, and starts the bundled main", () => {
    expect(config.files).toEqual(expect.arrayContaining(["dist/electron/**", "dist/renderer/**", "package.json"]));
    expect(config.extraMetadata.main).toBe("dist/electron/main.cjs");
    for (const script of ["build/dist.mjs", "build/fresh.mjs"]) expect(readFileSync(join(root, script), "utf-8")).toContain('run("node", ["build/bundle.mjs"])');
    expect(readFileSync(join(root, "build/start.mjs"), "utf-8")).toContain("bundleMainIfStale()");
  });

  it("flips Electron's fuses: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; cookies encrypted; the app only from its integrity-checked asar", async () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true, // checked by Electron on macOS and Windows; Linux has no asar integrity check
      grantFileProtocolExtraPrivileges: false, // the window is served from app://, not file://
    });
    // The fuse wire electron-builder writes into the binary from this config, in @electron/fuses' own terms.
    const { PlatformPackager } = require("app-builder-lib") as { PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> } } };
    const { FuseV1Options } = require("@electron/fuses") as { FuseV1Options: Record<string, string> };
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    expect(wire[FuseV1Options.RunAsNode]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });

  it("turns off file://'s extra privileges (the grantFileProtocolExtraPrivileges fuse): the window is served from app://, so nothing needs them", async () => {
    const { PlatformPackager } = require("app-builder-lib") as { PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> } } };
    const { FuseV1Options } = require("@electron/fuses") as { FuseV1Options: Record<string, string> };
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    const main = readFileSync(join(root, "electron/main.ts"), "utf-8");
    expect(main).not.toMatch(/loadFile\(|file:\/\//);
    expect(main).toContain("window.loadURL(APP_URL)");
  });

  it("points at a 512x512 PNG icon that exists", async () => {
    for (const icon of [config.icon, config.linux.icon, config.mac.icon, config.win.icon]) {
      const png = await readFile(join(root, icon));
      expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    }
  });
});

/** A store whose WAL passes the size at which "auto" scans in a worker (8 MB). */
async function bigStore(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "opslog-explorer-big-"));
  await mkdir(join(dir, "snapshots"));
  await mkdir(join(dir, "ops"));
  await writeFile(join(dir, "snapshots/snap-1700000000000.jsonl"), JSON.stringify({ version: 1, timestamp: "2023-11-14T22:13:20.000Z" }) + "\n");
  const notes = "x".repeat(200);
  const lines = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ ts: new Date(1700000000001 + i).toISOString(), op: "set", id: `r${i % 5000}`, data: { i, notes }, prev: null }) + "\n");
  await writeFile(join(dir, "ops/ops-1700000000001.jsonl"), lines.join(""));
  const stats = { activeRecords: 0, archivedRecords: 0, opsCount: 0, created: "2023-11-14T22:13:20.000Z", lastCheckpoint: "2023-11-14T22:13:20.000Z" };
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ version: 1, currentSnapshot: "snapshots/snap-1700000000000.jsonl", activeOps: "ops/ops-1700000000001.jsonl", archiveSegments: [], stats }));
  return dir;
}

describe("the Electron bundles", () => {
  it("bundle main, preload, the two engine workers, browser mode's server and npm start's command-line parser to CommonJS; the sandboxed preload needs only electron", async () => {
    const out = await mkdtemp(join(tmpdir(), "opslog-explorer-bundle-"));
    try {
      const run = spawnSync(process.execPath, [join(root, "build/bundle.mjs"), out], { cwd: root, encoding: "utf-8" });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe(""); // no esbuild warnings
      expect(await readdir(out)).toEqual(["inspect-worker.cjs", "main.cjs", "preload.cjs", "scan-worker.cjs", "serve.cjs", "start-cli.cjs"]);
      const preload = await readFile(join(out, "preload.cjs"), "utf-8");
      expect([...new Set(preload.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
      expect(preload).toContain('exposeInMainWorld("opslogBridge"');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("the bundled engine runs the inspector in its bundled thread, which scans WALs in the bundled worker, and answers as the engine from source does", async () => {
    const out = await mkdtemp(join(tmpdir(), "opslog-explorer-bundle-"));
    const store = await mkdtemp(join(tmpdir(), "opslog-explorer-store-"));
    try {
      const bundled = spawnSync(process.execPath, [join(root, "build/bundle.mjs"), out, "electron/test/bundled-scan.ts"], { cwd: root, encoding: "utf-8" });
      expect(bundled.status, bundled.stderr).toBe(0);
      await buildDemoStore(store, { seed: 7 });
      const run = spawnSync(process.execPath, [join(out, "bundled-scan.cjs"), store], { encoding: "utf-8" });
      expect(run.status, run.stderr).toBe(0);
      const insp = await openInspector(store, { parallel: "never" });
      const summary = await insp.summary();
      expect(JSON.parse(run.stdout)).toEqual({ counts: summary.counts, records: (await insp.records({ offset: 0, limit: 100_000 })).rows });
      await insp.close();
      // Without its worker beside it, the bundle cannot scan in parallel: "always" says so, and
      // "auto", on WALs big enough to want the worker, reads them in one thread instead.
      await rm(join(out, "scan-worker.cjs"));
      const without = spawnSync(process.execPath, [join(out, "bundled-scan.cjs"), store], { encoding: "utf-8" });
      expect(without.status).not.toBe(0);
      expect(without.stderr).toContain("the WAL scan worker");
      const big = await bigStore();
      const auto = spawnSync(process.execPath, [join(out, "bundled-scan.cjs"), big, "auto"], { encoding: "utf-8", maxBuffer: 1 << 28 });
      expect(auto.status, auto.stderr).toBe(0);
      const serial = await openInspector(big, { parallel: "never" });
      expect(JSON.parse(auto.stdout).counts).toEqual((await serial.summary()).counts);
      await serial.close();
      await rm(big, { recursive: true, force: true });
      // Without the inspector's thread either, the app's session says so and inspects in the main thread.
      await rm(join(out, "inspect-worker.cjs"));
      const session = spawnSync(process.execPath, [join(out, "bundled-scan.cjs"), store, "session"], { encoding: "utf-8" });
      expect(session.status, session.stderr).toBe(0);
      expect(session.stderr).toContain("the inspector runs on the main thread");
      expect(JSON.parse(session.stdout).counts).toEqual(summary.counts);
    } finally {
      await rm(out, { recursive: true, force: true });
      await rm(store, { recursive: true, force: true });
    }
  });
});

describe("npm run dist without the Electron binary", () => {
  const present = electronBinaryPresent();
  if (present) console.warn("skipped: the Electron binary is installed here, so `npm run dist` would really package");
  it.skipIf(present)("says what is missing and exits non-zero, without a stack trace", () => {
    const run = spawnSync(process.execPath, [join(root, "build/dist.mjs")], { cwd: root, encoding: "utf-8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Electron binary is missing/);
    expect(run.stderr).toMatch(/npm install electron/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
