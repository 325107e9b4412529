/**
 * One fuzz case end to end: run the program with the published opslog in a
 * fresh folder (an inspector following it live, polled where the program
 * says, or one opened at the end), read the folder with the reference model,
 * and compare every answer. Also the property over random programs, used by
 * the bounded run in `npm test` and by `npm run fuzz` (fuzz.ts), which prints
 * a failure's seed and shrunk program.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { openInspector, openInspectorThread } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { compareAll, same, setFocus } from "./compare.js";
import { publishedStateOfCopy } from "../scenarios/published.js";
import { compareExports } from "./compare-exports.js";
import { readModel } from "./model.js";
import { closeWriters, openWriters, programArb, runCmd } from "./program.js";
import type { Journal, Program, Skip } from "./program.js";

/** Run the program and compare; `only`: compare just the questions it matches (a fixed example's). */
export async function runProgram(program: Program, skips: Set<Skip>, only: RegExp | null = null): Promise<void> {
  setFocus(only);
  const dir = await mkdtemp(join(tmpdir(), "opslog-fuzz-"));
  let insp: InspectorApi | null = null;
  try {
    const journal: Journal = { archives: [], blobs: new Map() };
    const writers = await openWriters(dir, program.agents);
    try {
      if (program.live) insp = await openInspector(dir);
      for (const cmd of program.cmds) {
        await runCmd(dir, writers, cmd, journal);
        if (insp && cmd.poll) await insp.refresh();
      }
    } finally {
      await closeWriters(writers);
    }
    // At the end: in this thread, or in a thread of its own as the electron session opens it (every other program).
    if (insp) await insp.refresh();
    else insp = program.probe % 2 === 0 ? await openInspector(dir) : await openInspectorThread(dir);
    const model = await readModel(dir, journal.archives);
    // The model itself, checked against the library: its current state is what the published opslog reads.
    const library = await publishedStateOfCopy(dir, program.agents > 1);
    const modelNow = [...model.states[model.timeline.length]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    same("what happened is a reading of the archives the files allow (a fault of the MODEL)", model.readingFaults, []);
    same("reference model's current state vs the published opslog's own reading (a fault of the MODEL)", modelNow, library);
    if (process.env.FUZZ_KEEP) await writeFile(join(tmpdir(), `${dir.split("/").pop()}.journal.json`), JSON.stringify(journal.archives.map((a) => ({ ...a, moved: [...a.moved] }))));
    const c = { insp, model, journal, skips, probe: program.probe };
    await compareAll(c);
    await compareExports(c);
  } finally {
    setFocus(null);
    await insp?.close();
    if (process.env.FUZZ_KEEP) console.error(`store kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** The program as a fixed example: a line to paste into fuzz.test.ts's examples. */
export function showProgram(p: Program): string {
  return JSON.stringify(p);
}

export function fuzzProperty(skips: Set<Skip>) {
  return fc.asyncProperty(programArb(skips), (p) => runProgram(p, skips));
}
