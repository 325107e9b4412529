/**
 * The inspector's own thread: it opens one store's inspector and answers its
 * calls, so that building the index of a large store, filtering it or
 * rebuilding after a compaction never holds up the thread that serves the
 * UI. The other side is InspectorThread (thread.ts). Reads only.
 */
import { parentPort } from "node:worker_threads";
import type { InspectorApi } from "./api.js";
import { openInspector } from "./inspector.js";
import { INSPECTOR_METHODS, errorToWire } from "./thread.js";
import type { ThreadReply, ThreadRequest } from "./thread.js";

const port = parentPort!;
let inspector: InspectorApi | null = null;
let spinOn: string | undefined;

function reply(message: ThreadReply): void {
  port.postMessage(message);
}

port.on("message", (req: ThreadRequest) => {
  void (async () => {
    try {
      if (req.kind === "open") {
        inspector = await openInspector(req.dir, req.options);
        spinOn = req.spinOn;
        reply({ id: req.id, value: inspector.dir });
        return;
      }
      if (!inspector) throw new Error("the inspector thread has no store open");
      if (!INSPECTOR_METHODS.has(req.method)) throw new Error(`not an inspector method: ${req.method}`);
      if (req.method === spinOn) for (;;); // tests: a call that never ends, until the thread is terminated
      const method = inspector[req.method] as (arg: unknown) => Promise<unknown>;
      reply({ id: req.id, value: await method(req.arg) });
    } catch (err) {
      reply({ id: req.id, error: errorToWire(err) });
    }
  })();
});
port.postMessage({ id: -1, value: "ready" } satisfies ThreadReply);
