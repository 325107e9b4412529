// Stores whose history holds archives as well as ops, written by the published
// opslog, with each archive's segment and the count its archive() returned:
// archived ids created again, archived again into the same segment, two
// archives in a row, and archives by an agent while another writes on.
import { Store as Published } from "@backloghq/opslog";
import { nextMs, openPublishedAgent, task } from "./published.js";
import type { Task } from "./published.js";
import { scenario } from "./scenario.js";

/** What the writer did: each archive's segment and the count its archive() returned, in order. */
export interface Written {
  archives: { segment: string; count: number }[];
}

/**
 * Single-writer: sets, an archive by predicate, more sets, an archived id
 * created again, archived again into the same segment, two archives in a row
 * (no op between them), a delete, a compaction, a last set.
 */
async function writeFourArchives(dir: string): Promise<Written> {
  const store = new Published<Task>();
  await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
  const archives: Written["archives"] = [];
  const step = async (run: () => unknown) => {
    await run();
    await nextMs(); // snapshot and WAL names carry the ms: keep each compaction's distinct
  };
  const archive = (segment: string, pick: (t: Task) => boolean) => step(async () => archives.push({ segment: `archive/archive-${segment}.json`, count: await store.archive(pick, segment) }));
  for (let i = 0; i < 10; i++) await step(() => store.set(`r${i}`, task(i, i % 3 === 0 ? "done" : "todo")));
  await step(() => store.set("r1", task(1, "doing")));
  await step(() => store.set("r2", task(2, "done")));
  await step(() => store.set("r7", task(7, "doing")));
  await archive("2026-Q1", (t) => t.status === "done"); // r0 r2 r3 r6 r9
  await step(() => store.set("r10", task(10, "todo")));
  await step(() => store.set("r3", task(3, "created again"))); // an archived id, back
  await step(() => store.set("r3", task(3, "done", { notes: "second life" })));
  await step(() => store.set("r1", task(1, "done")));
  await archive("2026-Q1", (t) => t.status === "done"); // r1 r3, into the same segment
  await step(() => store.set("r11", task(11, "todo")));
  await step(() => store.set("r4", task(4, "done")));
  await archive("2026-Q2", (t) => t.status === "done"); // r4
  await archive("2026-Q3", (t) => t.n === 11); // r11, with no op since the last archive
  await step(() => store.delete("r5"));
  await step(() => store.set("r12", task(12, "todo")));
  await step(() => store.compact());
  await step(() => store.set("r13", task(13, "todo")));
  await store.close();
  return { archives };
}

/**
 * Multi-writer: bob writes, alice refreshes and archives (her compaction
 * names only her new WAL), bob refreshes and creates an archived id again,
 * alice archives into the same segment again and compacts, bob writes on.
 */
async function writeTwoAgentsArchiving(dir: string): Promise<Written> {
  const open = (agentId: string) => openPublishedAgent(dir, agentId);
  const alice = await open("alice");
  const bob = await open("bob");
  const archives: Written["archives"] = [];
  const step = async (run: () => unknown) => {
    await run();
    await nextMs();
  };
  const archive = (segment: string, pick: (t: Task) => boolean) => step(async () => {
    await alice.refresh(); // she archives what she has seen: all of bob's writes
    archives.push({ segment: `archive/archive-${segment}.json`, count: await alice.archive(pick, segment) });
  });
  for (let i = 0; i < 5; i++) await step(() => bob.set(`r${i}`, task(i, i % 3 === 0 ? "done" : "todo")));
  await step(() => alice.refresh());
  await step(() => alice.set("r5", task(5, "done")));
  await step(() => bob.refresh());
  await step(() => bob.set("r1", task(1, "doing")));
  await archive("2026-Q1", (t) => t.status === "done"); // r0 r3 r5
  await step(() => bob.refresh()); // bob registers a WAL in the new generation
  await step(() => bob.set("r3", task(3, "done", { notes: "created again" })));
  await step(() => bob.set("r6", task(6, "todo")));
  await archive("2026-Q1", (t) => t.status === "done"); // r3 again, into the same segment
  await step(() => bob.refresh());
  await step(() => bob.set("r7", task(7, "todo")));
  await step(async () => {
    await alice.refresh();
    await alice.compact();
  });
  await step(() => bob.refresh());
  await step(() => bob.set("r8", task(8, "todo")));
  await alice.close();
  await bob.close();
  return { archives };
}

export const fourArchivesThenCompacted = scenario(
  "fourArchivesThenCompacted",
  "single writer: r0..r9 set, updates, an archive to 2026-Q1, an archived id (r3) created again and archived again into 2026-Q1, archives to 2026-Q2 and 2026-Q3 in a row, a delete, a compaction, a last set",
  writeFourArchives,
);

export const twoAgentsArchiveAndRecreate = scenario(
  "twoAgentsArchiveAndRecreate",
  "bob writes, alice refreshes and archives to 2026-Q1 (her compaction names only her new WAL), bob refreshes and creates an archived id (r3) again, alice archives it into the same segment again and compacts, bob writes on",
  writeTwoAgentsArchiving,
);

/** What the writer did at each archive: the segment it named, the ids it moved (the published Store's records before less after), and the ops written before it. */
export interface ArchivesWritten {
  archives: { segment: string; ids: string[]; position: number }[];
}

/**
 * Single writer: archives to `order`'s segments in turn; before each, the
 * ids `sets` names are set (created again if archived before), then one
 * other record that stays. opslog merges
 * an archive into a segment of the same name, which keeps only the value
 * and the time of its last archive.
 */
async function writeReusedNames(dir: string, rounds: { sets: string[]; segment: string }[]): Promise<ArchivesWritten> {
  const store = new Published<Task>();
  await store.open(dir, { checkpointThreshold: 1000, checkpointOnClose: false });
  const archives: ArchivesWritten["archives"] = [];
  let position = 0;
  for (const [round, { sets, segment }] of rounds.entries()) {
    for (const id of sets) {
      await store.set(id, task(round, "done", { notes: `${id}, life ${round + 1}` }));
      position++;
    }
    await store.set("tick", task(round, "todo")); // an op between the sets and the archive: a state holding every id it moves
    position++;
    await nextMs(); // snapshot and segment times carry the ms: keep each archive's distinct
    const before = new Set(store.entries().map(([id]) => id));
    await store.archive((t) => t.status === "done", segment);
    const after = new Set(store.entries().map(([id]) => id));
    archives.push({ segment: `archive/archive-${segment}.json`, ids: [...before].filter((id) => !after.has(id)).sort(), position });
    await nextMs();
  }
  await store.set("last", task(99, "todo"));
  await store.close();
  return { archives };
}

export const archiveNameReused = scenario(
  "archiveNameReused",
  "single writer (a record 'tick' set before each archive): x and y archived to seg-A; x created again and archived to seg-B; x created again and archived to seg-A once more (merged into the existing segment); a last set",
  (dir) => writeReusedNames(dir, [{ sets: ["x", "y"], segment: "seg-A" }, { sets: ["x"], segment: "seg-B" }, { sets: ["x"], segment: "seg-A" }]),
);

export const archiveNameReusedOneId = scenario(
  "archiveNameReusedOneId",
  "single writer (a record 'tick' set before each archive): x archived to seg-A, created again and archived to seg-B, created again and archived to seg-A once more: only the manifest's list of segments (in the order first written) tells the first archive's segment",
  (dir) => writeReusedNames(dir, [{ sets: ["x"], segment: "seg-A" }, { sets: ["x"], segment: "seg-B" }, { sets: ["x"], segment: "seg-A" }]),
);
