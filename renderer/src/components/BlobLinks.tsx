/** A record's blob references as links to the Blobs view. opslog has no convention for them: a string value that names a blob of the store is one. */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useBlobs } from "../state/blobs";

export function BlobLinks({ id, revision }: { id: string; revision: number }) {
  const [paths, setPaths] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    api.call("blobs.refs", { id }).then((found) => current && setPaths(found), () => current && setPaths([]));
    return () => {
      current = false;
    };
  }, [id, revision]);
  if (paths.length === 0) return null;
  return (
    <div className="blob-links small" data-testid="blob-links">
      <span className="muted" title="Values of this record that name a blob of the store">blobs:</span>
      {paths.map((path) => <button key={path} className="link mono" data-testid="blob-link" onClick={() => useBlobs.getState().show(path)}>{path}</button>)}
    </div>
  );
}
