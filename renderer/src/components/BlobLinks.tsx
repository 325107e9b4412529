/** A record's blob references as links to the Blobs view. opslog has no convention for them: a string value that names a blob of the store is one. */
import { useQuery } from "../state/query";
import type { QueryRequest } from "../state/request";
import { api } from "../api/client";
import { useBlobs } from "../state/blobs";

const blobRefs = (id: string, request: QueryRequest) => api.call("blobs.refs", { id }, request.options);

/** The record's values that name a blob of the store, as links to its preview (asked again when the store changes). */
export function BlobLinks({ id }: { id: string }) {
  const paths = useQuery(blobRefs, id).data ?? [];
  if (paths.length === 0) return null;
  return (
    <div className="blob-links small" data-testid="blob-links">
      <span className="muted" title="Values of this record that name a blob of the store">blobs:</span>
      {paths.map((path) => <button key={path} className="link mono" data-testid="blob-link" onClick={() => useBlobs.getState().show(path)}>{path}</button>)}
    </div>
  );
}
