/** npm start builds the renderer and the main bundle only when their inputs changed (build/fresh.mjs). */
import { access, mkdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { buildIfStale, isStale, newestMtime } from "../../build/fresh.mjs";
import { tempDir } from "../../engine/test/helpers/tmp.js";

let dir: string;

beforeEach(async () => {
  dir = await tempDir("opslog-fresh-");
  await mkdir(join(dir, "src/deep"), { recursive: true });
  await mkdir(join(dir, "src/node_modules"), { recursive: true });
  await writeFile(join(dir, "src/a.ts"), "a");
  await writeFile(join(dir, "src/deep/b.ts"), "b");
  await writeFile(join(dir, "src/node_modules/c.js"), "c");
  await writeFile(join(dir, "out.html"), "built");
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  await utimes(join(dir, "src/a.ts"), t(1), t(1));
  await utimes(join(dir, "src/deep/b.ts"), t(2), t(2));
  await utimes(join(dir, "src/node_modules/c.js"), t(50), t(50));
  await utimes(join(dir, "out.html"), t(10), t(10));
});

describe("a build output", () => {
  it("is up to date when every input is older than it (node_modules under an input is not an input)", () => {
    expect(newestMtime([join(dir, "src")])).toBe(Date.UTC(2026, 0, 1, 0, 0, 2));
    expect(isStale(join(dir, "out.html"), [join(dir, "src")])).toBe(false);
  });

  it("is stale when a file deep under an input folder is newer", async () => {
    const later = new Date(Date.UTC(2026, 0, 1, 0, 0, 20));
    await utimes(join(dir, "src/deep/b.ts"), later, later);
    expect(isStale(join(dir, "out.html"), [join(dir, "src")])).toBe(true);
  });

  it("is stale when it does not exist, and a missing input counts for nothing", () => {
    expect(isStale(join(dir, "missing.html"), [join(dir, "src")])).toBe(true);
    expect(isStale(join(dir, "out.html"), [join(dir, "src"), join(dir, "no-such-folder")])).toBe(false);
  });
});

describe("a build step", () => {
  it("runs when its inputs changed, stamps its success, and is skipped until an input changes again", () => {
    const stamp = join(dir, "out.built");
    let builds = 0;
    expect(buildIfStale(stamp, [join(dir, "src")], () => builds++)).toBe(true);
    expect(buildIfStale(stamp, [join(dir, "src")], () => builds++)).toBe(false);
    expect(builds).toBe(1);
  });

  it("that failed leaves no stamp, so the next start builds again instead of serving a broken build", async () => {
    const stamp = join(dir, "out.built");
    await writeFile(stamp, "an old success");
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, "src/a.ts"), later, later); // a source changed since
    expect(() => buildIfStale(stamp, [join(dir, "src")], () => { throw new Error("build failed"); })).toThrow("build failed");
    await expect(access(stamp)).rejects.toThrow();
    let builds = 0;
    expect(buildIfStale(stamp, [join(dir, "src")], () => builds++)).toBe(true);
    expect(builds).toBe(1);
  });
});
