// Guard of the parallel scan's byte ranges on every store of the scenario
// library: each WAL cut into many small segments (so that the two scan
// workers share it many times over), with cuts placed inside multi-byte
// UTF-8 characters and at the edges of every line that is not a whole op
// (torn by opslog's undo, unterminated, malformed), must give every answer
// the build in one thread gives. The cuts are found from the raw WAL bytes,
// not from the inspector. Gaps of up to 97 bytes (wider in a large WAL:
// some 400 segments at most) keep the whole library within a minute or two.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { SCENARIOS } from "../scenarios/index.js";
import { answers, suiteDir } from "./fixtures.js";

/** Seeded cuts at gaps of 1 to maxGap bytes over `bytes`. */
function randomCuts(bytes: number, seed: number, maxGap: number): number[] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const cuts: number[] = [];
  for (let c = 1 + Math.floor(next() * maxGap); c < bytes; c += 1 + Math.floor(next() * maxGap)) cuts.push(c);
  return cuts;
}

/** Offsets inside a multi-byte UTF-8 character (its continuation bytes), at most `max` of them. */
function insideCharacters(bytes: Buffer, max: number): number[] {
  const at: number[] = [];
  for (let i = 0; i < bytes.length && at.length < max; i++) if ((bytes[i] & 0xc0) === 0x80) at.push(i);
  return at;
}

/** The edges of each line that is not a whole JSON value (a torn or malformed line, or an unterminated last line): its start, its second byte, its last byte, its newline and the byte after. */
function aroundBadLines(bytes: Buffer): number[] {
  const at: number[] = [];
  for (let start = 0; start < bytes.length; ) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    let whole = nl !== -1;
    try {
      JSON.parse(bytes.toString("utf-8", start, end));
    } catch {
      whole = false;
    }
    if (!whole && end > start) at.push(start, start + 1, end - 1, end, end + 1);
    start = end + 1;
  }
  return at;
}

/**
 * Every answer (fixtures' answers), or the error it stops at (a store whose
 * current snapshot is missing refuses states it cannot know), with the
 * answers that do not depend on a state beside it either way.
 */
async function outcome(insp: InspectorApi): Promise<Record<string, unknown>> {
  const { total } = await insp.timelineInfo();
  const basics = { info: await insp.timelineInfo(), lanes: await insp.lanes(), summary: await insp.summary(), ops: await insp.ops({ offset: 0, limit: total + 1 }) };
  try {
    return { basics, answers: await answers(insp) };
  } catch (err) {
    return { basics, threw: (err as Error).message };
  }
}

describe("a build whose WALs are cut into many small byte ranges answers as a build in one thread, on every scenario store", () => {
  for (const [k, scenario] of SCENARIOS.entries()) {
    it(`${scenario.name}: every answer equal, cut inside characters, around torn and malformed lines, and every few bytes`, async () => {
      const { dir } = await scenario.build(await suiteDir());
      const walCuts: Record<string, number[]> = {};
      for (const name of await readdir(join(dir, "ops")).catch(() => [] as string[])) {
        const bytes = await readFile(join(dir, "ops", name)).catch(() => null);
        if (!bytes || bytes.length < 2) continue;
        const cuts = [...randomCuts(bytes.length, 1000 + k, Math.max(97, Math.ceil(bytes.length / 200))), ...insideCharacters(bytes, 300), ...aroundBadLines(bytes)].filter((c) => c > 0 && c < bytes.length);
        expect(cuts.length, `ops/${name} is cut`).toBeGreaterThan(0);
        walCuts[`ops/${name}`] = cuts;
      }
      const serial = await openInspector(dir, { parallel: "never" });
      let seen: Record<string, unknown>;
      try {
        seen = await outcome(serial);
      } finally {
        await serial.close();
      }
      const split = await openInspector(dir, { parallel: "always", walCuts });
      try {
        expect(await outcome(split)).toEqual(seen);
      } finally {
        await split.close();
      }
    });
  }
});
