/**
 * The blob calls over the window's store (declared in blob-calls.ts): list
 * the store's blobs, read a range of one, and find the blobs a record names.
 * Read from the session's files folder (an S3 store: its local mirror); a
 * blob is read only where its real path lies among the store's blobs.
 */
import type { z } from "zod";
import { blobRefs, listBlobs, readBlobChunk } from "../engine/src/inspect/index.js";
import type { BLOB_CALLS, BlobCallResults } from "./blob-calls.js";
import type { ExplorerSession } from "./session.js";

type Args = { [N in keyof typeof BLOB_CALLS]: z.output<(typeof BLOB_CALLS)[N]["schema"]> };
type BlobHandlers = { [N in keyof BlobCallResults]: (arg: Args[N]) => Promise<BlobCallResults[N]> };

/** The calls' implementations, for own-calls.ts; `session` throws when no store is open. */
export function blobHandlers(session: () => ExplorerSession): BlobHandlers {
  return {
    "blobs.list": (a) => listBlobs(session().filesDir, a),
    "blobs.read": (a) => readBlobChunk(session().filesDir, a.path, a.offset, a.length),
    "blobs.refs": async (a) => {
      const s = session();
      return blobRefs(s.filesDir, await s.inspector.record({ id: a.id, at: a.at }));
    },
  };
}
