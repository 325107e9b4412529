// The published opslog's undo() cuts a WAL with non-ASCII text at a character
// index: the op before the undone one loses its end and the next append lands
// on its remains. The inspector explains that line in plain words, replays
// nothing of it (opslog skips it whole), and lists the appended op as a lost
// write torn by undo. The store is written by the published opslog; the expected
// op comes from splitting the raw WAL bytes here.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";
import { describe, expect, it } from "vitest";
import { openInspector } from "../../src/inspect/index.js";
import { suiteDir } from "./fixtures.js";

type Doc = Record<string, unknown>;

async function writeUndoneStore(dir: string, title: string): Promise<Buffer> {
  const store = new Published<Doc>();
  await store.open(dir, { checkpointOnClose: false });
  await store.set("a", { title });
  await store.set("b", { title: "bee" });
  await store.undo();
  await store.set("c", { title: "sea" });
  await store.close();
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf-8")) as { activeOps: string };
  return readFile(join(dir, manifest.activeOps));
}

describe("a WAL line merged by the published opslog's undo on non-ASCII text", () => {
  // "☕☕☕☕" makes the cut fall part-way through a character: the offsets must still be byte-exact.
  for (const [title, parallel] of [["café ☕", "never"], ["café ☕", "always"], ["☕☕☕☕", "never"], ["☕☕☕☕", "always"]] as const) {
    it(`is explained as the undo fault, naming the cut op and the appended one, which is a lost write, not replayed (a: "${title}", parallel: ${parallel})`, async () => {
      const dir = await suiteDir();
      const wal = await writeUndoneStore(dir, title);
      // The fault as it stands on disk: one line, a's remains then c's whole line.
      expect(wal.toString("utf-8").split("\n")).toHaveLength(2);
      const second = wal.indexOf('{"ts":"', 1);
      const appended = JSON.parse(wal.toString("utf-8", second, wal.length - 1)) as Doc;
      expect(appended).toMatchObject({ op: "set", id: "c", data: { title: "sea" } });
      const published = new Published<Doc>();
      await published.open(dir, { readOnly: true });
      expect(published.count()).toBe(0); // opslog itself skips the whole line
      await published.close();

      const insp = await openInspector(dir, { parallel });
      try {
        expect((await insp.ops({ offset: 0, limit: 10 })).total).toBe(0);
        expect(await insp.record({ id: "c" })).toBeNull();
        const lost = await insp.lostWrites({ offset: 0, limit: 10 });
        expect(lost.rows.map((o) => [o.reason, o.op, o.id, o.line, o.offset, o.ts, o.data, o.pos])).toEqual([["torn-by-undo", "set", "c", 1, second, appended.ts, { title: "sea" }, null]]);
        const warnings = (await insp.summary()).warnings.filter((w) => w.line === 1);
        expect(warnings).toHaveLength(1);
        const message = warnings[0].message;
        expect(message).toContain("known fault of opslog's undo() on WALs with non-ASCII text");
        expect(message).toContain('set "a" at'); // the op cut short
        expect(message).toContain(`set "c" at ${appended.ts as string}`); // the op appended onto it
        expect(message).toContain("lost writes (torn by opslog's undo)");
        expect(message).not.toContain("crash");
      } finally {
        await insp.close();
      }
    });
  }

});
