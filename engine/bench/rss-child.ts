/**
 * The inspector benchmark's memory rows, measured as the app runs the engine:
 * bundled (build/bench.mjs bundles this file beside the engine's workers, as
 * the app's main process is bundled) and with the inspector in its own
 * thread (openInspectorThread, as electron/session-open.ts opens a store).
 * The bench's own process runs the TypeScript sources under tsx, whose
 * compiler holds about 50 MB the app never has.
 *   node --expose-gc rss-child.cjs <dir>
 * prints one JSON object of RSS figures (bytes) on its last line.
 */
import { openInspectorThread } from "../src/inspect/thread.js";

export interface MemoryFigures {
  before: number;
  afterOpen: number;
  afterHead: number;
  afterOthers: number;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const rss = () => {
  gc();
  return process.memoryUsage().rss;
};

/** The steps of inspect.ts's measureInspector that its memory rows follow: open, a first page, filters at a position and on the current state, then elsewhere. */
async function main(dir: string): Promise<MemoryFigures> {
  const before = rss();
  const insp = await openInspectorThread(dir);
  try {
    const { total } = await insp.timelineInfo();
    await insp.records({ offset: 0, limit: 200 });
    const afterOpen = rss();
    const filter = { status: "review", n: { $gt: 100_000 } };
    await insp.records({ at: Math.floor(total / 2), offset: 0, limit: 200, filter });
    await insp.records({ offset: 0, limit: 200, filter });
    await insp.records({ offset: 0, limit: 200, filter: { status: "done" } });
    const afterHead = rss();
    const b = Math.floor(total / 4);
    await insp.records({ at: b, offset: 0, limit: 200, filter });
    await insp.records({ offset: 0, limit: 200, filter: { owner: "agent-b", title: { $gte: "Task task-05" } } });
    await insp.diff({ a: b, b: b + 10_000, offset: 0, limit: 200 });
    return { before, afterOpen, afterHead, afterOthers: rss() };
  } finally {
    await insp.close();
  }
}

main(process.argv[2]).then(
  (figures) => console.log(JSON.stringify(figures)),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
