// Every op number the engine writes into a sentence (a warning, a conflict's
// or a lost write's explanation) follows the UI's numbering: ops numbered
// from 1 in timeline order, and "later"/"earlier" mean timeline order. Each
// "#N" is checked against the raw op it names (its agent, its id, its place)
// in the timeline read off the raw files (scenarios/timeline.ts).
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import type { InspectorApi } from "../../src/inspect/index.js";
import { SCENARIOS } from "../scenarios/index.js";
import type { StoreFacts } from "../scenarios/index.js";
import { rawTimeline } from "../scenarios/timeline.js";
import type { RawTimeline } from "../scenarios/timeline.js";
import { suiteDir } from "./fixtures.js";

/** A sentence, what it is about (the id; the agent "its own" means), and where its subject op sits in the raw timeline. */
interface Sentence {
  kind: "warning" | "conflict" | "lost";
  text: string;
  id: string | null;
  self: string | null;
  /** The subject's number (a conflict's winner, a lost write); for a lost write outside the timeline, the number of the last op before the compaction it came after */
  at: number | null;
  /** The subject is outside the timeline, after `at` */
  afterAt: boolean;
}

async function sentences(insp: InspectorApi, raw: RawTimeline): Promise<Sentence[]> {
  const numberOf = (file: string, line: number) => raw.ops.find((o) => o.file === file && o.line === line)?.n ?? null;
  const out: Sentence[] = (await insp.summary()).warnings.map((w) => ({ kind: "warning" as const, text: w.message, id: null, self: null, at: null, afterAt: false }));
  for (const c of (await insp.conflicts({ offset: 0, limit: 10_000 })).rows) {
    out.push({ kind: "conflict", text: c.explanation, id: c.id, self: c.winner.agent, at: numberOf(c.winner.file, c.winner.line), afterAt: false });
  }
  for (const l of (await insp.lostWrites({ offset: 0, limit: 10_000 })).rows) {
    const n = numberOf(l.file, l.line);
    out.push({ kind: "lost", text: l.explanation, id: l.id, self: l.agent, at: n ?? raw.linkEnds[raw.link(l.file)], afterAt: n === null });
  }
  return out;
}

/** What a sentence says about each op it numbers: the number, the agent named just before it, and whether it is called later or earlier. */
function claims(text: string, agents: string[]): { n: number; agent: string | null; order: "later" | "earlier" | null }[] {
  return [...text.matchAll(/#([\d,]+)/g)].map((m) => {
    const before = text.slice(0, m.index);
    const clause = before.slice(Math.max(before.lastIndexOf(","), before.lastIndexOf(":"), before.lastIndexOf(".")) + 1);
    const named = [...agents, "its own"].map((a) => ({ a, at: clause.lastIndexOf(a === "its own" ? a : `${a}'s`) >= 0 ? clause.lastIndexOf(a === "its own" ? a : `${a}'s`) : clause.lastIndexOf(`by ${a}`) })).filter((x) => x.at >= 0).sort((x, y) => y.at - x.at)[0];
    const order = /\blater\b|\bafter\b/.test(clause) ? "later" : /\bearlier\b|\bbefore\b/.test(clause) ? "earlier" : null;
    return { n: Number(m[1].replace(/,/g, "")), agent: named?.a ?? null, order };
  });
}

/**
 * Each number names an op on the sentence's id, by the agent named before it.
 * In a conflict, every op named comes before the winner, and "later" is
 * later than the op named before it (what the winner had read); in a lost
 * write's, "later"/"earlier" is relative to the lost op (or to the
 * compaction it came after, when it has no place of its own).
 */
function check(s: Sentence, facts: StoreFacts, raw: RawTimeline): void {
  let previous: number | null = null;
  for (const c of claims(s.text, facts.agents)) {
    const where = `"#${c.n}" in: ${s.text}`;
    expect(c.n, where).toBeGreaterThanOrEqual(1);
    expect(c.n, where).toBeLessThanOrEqual(raw.ops.length);
    const op = raw.ops[c.n - 1].op;
    if (s.id !== null) expect(op.id, where).toBe(s.id);
    if (c.agent !== null) expect(op.agent, where).toBe(c.agent === "its own" ? s.self : c.agent);
    if (s.kind === "conflict" && s.at !== null) {
      expect(c.n, where).toBeLessThan(s.at);
      if (c.order === "later" && previous !== null) expect(c.n, where).toBeGreaterThan(previous);
      if (c.order === "earlier" && previous !== null) expect(c.n, where).toBeLessThan(previous);
    }
    if (s.kind === "lost" && c.order !== null && s.at !== null) {
      if (c.order === "later") expect(c.n, where).toBeGreaterThan(s.at);
      else expect(c.n, where).toBeLessThanOrEqual(s.afterAt ? s.at : s.at - 1);
    }
    previous = c.n;
  }
}

describe("op numbers in sentences follow the UI's numbering (from 1, in timeline order)", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: every "#N" in a warning or explanation names the raw op with that number, with its agent, its id and its place`, async () => {
      const facts = await scenario.build(await suiteDir());
      const raw = await rawTimeline(facts);
      const insp = await openInspector(facts.dir);
      try {
        expect(raw.ops.length, "the raw timeline reads as many ops as the store's summary counts").toBe((await insp.summary()).counts.timelineOps);
        for (const s of await sentences(insp, raw)) check(s, facts, raw);
      } finally {
        await insp.close();
      }
    });
  }
});
