// An entry point that packaging.test.ts bundles the way the main process is
// bundled, then runs in plain Node: it opens a store (argv[2]) in the
// inspector's thread with the parallel scan (argv[3]: "always", or "auto"):
// both workers must then come from the bundle (inspect-worker.cjs and
// scan-worker.cjs beside it).
import { openInspectorThread } from "../../engine/src/inspect/thread.js";

async function main(): Promise<void> {
  const insp = await openInspectorThread(process.argv[2], { parallel: (process.argv[3] ?? "always") as "always" | "auto" });
  const summary = await insp.summary();
  process.stdout.write(JSON.stringify({ counts: summary.counts, records: (await insp.records({ offset: 0, limit: 100_000 })).rows }));
  await insp.close();
}

void main();
