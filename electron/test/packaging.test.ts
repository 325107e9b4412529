// Packaging, checked as far as it can be without the Electron binary: the
// electron-builder config passes electron-builder's own schema, names the
// targets, and ships what start.mjs/dist.mjs build; the bundles load.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { BuildOptions } from "esbuild";
import { describe, expect, it } from "vitest";

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

  it("ships the bundled main process, the preload and the renderer, and starts the bundled main", () => {
    expect(config.files).toEqual(expect.arrayContaining(["dist/electron/**", "dist/renderer/**", "package.json"]));
    expect(config.extraMetadata.main).toBe("dist/electron/main.cjs");
    const dist = readFileSync(join(root, "build/dist.mjs"), "utf-8");
    expect(dist).toContain("--outfile=dist/electron/main.cjs");
    expect(dist).toContain("--outfile=dist/electron/preload.cjs");
  });

  it("points at a 512x512 PNG icon that exists", async () => {
    for (const icon of [config.icon, config.linux.icon, config.mac.icon, config.win.icon]) {
      const png = await readFile(join(root, icon));
      expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    }
  });
});

describe("the Electron bundles", () => {
  it("bundle main and preload to CommonJS; the sandboxed preload needs only electron", async () => {
    const out = await mkdtemp(join(tmpdir(), "opslog-explorer-bundle-"));
    try {
      const common: BuildOptions = { bundle: true, platform: "node", format: "cjs", external: ["electron"], logLevel: "silent" };
      await build({ ...common, entryPoints: [join(root, "electron/main.ts")], outfile: join(out, "main.cjs") });
      await build({ ...common, entryPoints: [join(root, "electron/preload.ts")], outfile: join(out, "preload.cjs") });
      const preload = await readFile(join(out, "preload.cjs"), "utf-8");
      expect([...new Set(preload.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
      expect(preload).toContain('exposeInMainWorld("opslogBridge"');
    } finally {
      await rm(out, { recursive: true, force: true });
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
