// An entry point that packaging.test.ts bundles the way the main process is
// bundled, then runs in plain Node. `bundled-scan <store> [always|auto]`
// opens a store in the inspector's thread with the parallel scan: both
// workers must then come from the bundle (inspect-worker.cjs and
// scan-worker.cjs beside it). `bundled-scan <store> session` opens it as the
// app does, through an ExplorerSession.
import { ExplorerSession } from "../session.js";
import { openInspectorThread } from "../../engine/src/inspect/thread.js";
import type { InspectorApi } from "../../engine/src/inspect/index.js";

async function print(insp: InspectorApi): Promise<void> {
  const summary = await insp.summary();
  process.stdout.write(JSON.stringify({ counts: summary.counts, records: (await insp.records({ offset: 0, limit: 100_000 })).rows }));
}

async function main(): Promise<void> {
  const [dir, how = "always"] = process.argv.slice(2);
  if (how === "session") {
    const session = await ExplorerSession.open({ dir, pollMs: 0 });
    await print(session.inspector);
    await session.close();
    return;
  }
  const insp = await openInspectorThread(dir, { parallel: how as "always" | "auto" });
  await print(insp);
  await insp.close();
}

void main();
