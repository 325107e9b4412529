// A store whose current snapshot was removed after the published opslog wrote
// it: opslog refuses to open it. The inspector must say which file is missing
// and which manifest names it, mark every state that starts from it unknown
// (never empty), show what can be known (the history before it, the ops after
// it), and infer no lost write from it. Expectations come from the raw files
// (manifest, WAL lines) and the published opslog's refusal.
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { threeAgentsCurrentSnapshotMissing, twentyTasksCurrentSnapshotMissing } from "../scenarios/index.js";
import type { Doc } from "../scenarios/index.js";
import { suiteDir } from "./fixtures.js";

const ALL = { offset: 0, limit: 100_000 };

describe("a store whose current snapshot is missing (written by the published opslog, then the file removed)", () => {
  it("warns naming the file and manifest.json, marks the states from it on unknown, and shows the history before it and the ops after it", async () => {
    const store = await twentyTasksCurrentSnapshotMissing.build(await suiteDir());
    expect(store.refusal).toContain("Snapshot file not found"); // the published opslog refuses it
    // From the raw lines: the retired WAL's ops come before the compaction that wrote the missing snapshot, the named WAL's after it.
    const before = store.walLines.filter((l) => l.op && store.retiredWals.includes(l.file));
    const after = store.walLines.filter((l) => l.op && store.namedWals.includes(l.file));
    const k = before.length;
    const insp = await openInspector(store.dir);
    try {
      const summary = await insp.summary();
      const warning = summary.warnings.find((w) => w.file === store.removed);
      expect(warning?.severity).toBe("error");
      expect(warning?.message).toContain(`manifest.json names ${store.removed} as the current snapshot, but that file is missing`);
      expect(warning?.message).toContain(`from position ${k} on`);
      expect(summary.kind).not.toBe("empty");
      expect(summary.counts.records).toBeNull();
      expect(summary.counts.lostWrites).toBe(0);
      // Every op is listed, in WAL order (a single writer).
      const ops = await insp.ops(ALL);
      expect(ops.rows.map((o) => [o.file, o.line])).toEqual([...before, ...after].map((l) => [l.file, l.line]));
      // The states from k on are unknown, said with the file's name; not shown empty.
      await expect(insp.records(ALL)).rejects.toThrow(store.removed);
      await expect(insp.records({ ...ALL, at: k })).rejects.toThrow("unknown");
      await expect(insp.diff({ a: 0, b: k, ...ALL })).rejects.toThrow(store.removed);
      // The state just before is known: the retired WAL's ops but its last, replayed from the raw lines.
      const expected = new Map<string, Doc>();
      for (const l of before.slice(0, k - 1)) {
        if (l.op!.op === "set") expected.set(l.op!.id, l.op!.data!);
        else expected.delete(l.op!.id);
      }
      // The charts' record counts: unknown from k on, not a count of a state nobody can know.
      const buckets = (await insp.buckets({ buckets: 50 })).buckets;
      expect(buckets.some((b) => b.position >= k)).toBe(true);
      for (const b of buckets) expect(b.records === null, `bucket ending at position ${b.position}`).toBe(b.position >= k);
      const known = await insp.records({ ...ALL, at: k - 1 });
      expect(known.rows.map((r) => [r.id, r.data])).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)));
    } finally {
      await insp.close();
    }
  });

  it("infers no lost write from the missing file: the WALs the manifest names hold none, and ops before the compaction are not lost", async () => {
    const store = await threeAgentsCurrentSnapshotMissing.build(await suiteDir());
    expect(store.refusal).toContain("Snapshot file not found");
    const compactedAt = Number(/snap-(\d+)\./.exec(store.removed)![1]);
    const insp = await openInspector(store.dir);
    try {
      const lost = (await insp.lostWrites(ALL)).rows;
      for (const w of lost) {
        expect(store.namedWals, `${w.file}:${w.line}`).not.toContain(w.file);
        expect(Date.parse(w.ts), `${w.file}:${w.line}`).toBeGreaterThan(compactedAt - 1); // appended to a retired WAL after the compaction
        expect(w.reason).toBe("retired-wal");
      }
      const named = store.walLines.filter((l) => l.op && store.namedWals.includes(l.file));
      const ops = (await insp.ops(ALL)).rows;
      for (const l of named) expect(ops.some((o) => o.file === l.file && o.line === l.line), `${l.file}:${l.line} is in the timeline`).toBe(true);
      expect((await insp.summary()).counts.records).toBeNull();
    } finally {
      await insp.close();
    }
  });
});
