/**
 * The inspector's own thread: it opens one store's inspector and answers its
 * calls, so that building the index of a large store, filtering it or
 * rebuilding after a compaction never holds up the thread that serves the
 * UI. The other side is InspectorThread (thread.ts). A cancelled call is
 * dropped if it has not started, or stopped at its next chunk. Reads only.
 */
import { parentPort } from "node:worker_threads";
import type { InspectorApi, QueryOptions } from "./api.js";
import { openInspector } from "./inspector.js";
import { INSPECTOR_METHODS, errorToWire } from "./thread.js";
import type { ThreadReply, ThreadRequest } from "./thread.js";

const port = parentPort!;
let inspector: InspectorApi | null = null;
let spinOn: string | undefined;
/** The calls running now, by id, each with what stops it */
const running = new Map<number, AbortController>();

function reply(message: ThreadReply): void {
  port.postMessage(message);
}

port.on("message", (req: ThreadRequest) => {
  if (req.kind === "cancel") {
    running.get(req.id)?.abort();
    return;
  }
  void (async () => {
    try {
      if (req.kind === "open") {
        inspector = await openInspector(req.dir, req.options, (progress) => reply({ id: req.id, progress }));
        spinOn = req.spinOn;
        reply({ id: req.id, value: inspector.dir });
        return;
      }
      if (!inspector) throw new Error("the inspector thread has no store open");
      if (!INSPECTOR_METHODS.has(req.method)) throw new Error(`not an inspector method: ${req.method}`);
      // Tests: a call that never ends, until the thread is terminated (a records query never ends in a step's state either).
      if (req.method === spinOn || (spinOn === "records" && req.method === "replayStep" && (req.arg as { statePages?: unknown[] }).statePages?.length)) for (;;);
      const method = inspector[req.method] as (arg: unknown, options: QueryOptions) => Promise<unknown>;
      const controller = new AbortController();
      running.set(req.id, controller);
      try {
        // One turn first: a cancel already sent behind this call drops it before it starts.
        await new Promise((resolve) => setImmediate(resolve));
        reply({ id: req.id, value: await method(req.arg, { signal: controller.signal }) });
      } finally {
        running.delete(req.id);
      }
    } catch (err) {
      reply({ id: req.id, error: errorToWire(err) });
    }
  })();
});
port.postMessage({ id: -1, value: "ready" } satisfies ThreadReply);
