// The index build reports how far it has come (progress.ts): phases in order,
// bytes never going back and ending at every snapshot and WAL byte of the
// store, ops ending at the WAL lines, whether this thread or the scan worker
// parses the WALs. The store is written by the published opslog; the
// expectations come from its files.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { BuildProgress } from "../../src/inspect/index.js";
import { twentyTasksCompactedThenEdited } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

async function bytesUnder(dir: string, sub: string): Promise<number> {
  let sum = 0;
  for (const name of await readdir(join(dir, sub))) sum += (await stat(join(dir, sub, name))).size;
  return sum;
}

const PHASES = ["snapshot", "wals", "finishing"];

describe("index build progress", () => {
  for (const parallel of ["never", "always"] as const) {
    it(`goes snapshot -> WALs -> finishing and ends at every byte and WAL op of the store (parallel: ${parallel})`, async () => {
      const store = await twentyTasksCompactedThenEdited.build(join(await suiteDir(), "store"));
      const seen: BuildProgress[] = [];
      const inspector = await openInspector(store.dir, { parallel }, (p) => seen.push(p));
      await inspector.close();
      const whole = (await bytesUnder(store.dir, "snapshots")) + (await bytesUnder(store.dir, "ops"));
      expect(seen.at(-1)).toEqual({ phase: "finishing", bytes: whole, totalBytes: whole, ops: store.walLines.filter((l) => l.op).length });
      const phases = seen.map((p) => PHASES.indexOf(p.phase));
      expect(phases.at(-1)).toBe(2);
      expect(seen.some((p) => p.phase === "wals")).toBe(true);
      const bytes = seen.map((p) => p.bytes);
      expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
      expect(seen.every((p) => p.totalBytes === whole || p.totalBytes === 0)).toBe(true);
    });
  }
});
