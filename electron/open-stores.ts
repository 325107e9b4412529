/**
 * The store folders open in this process: every window of the desktop app
 * and every browser-mode server has its own session, and an export from any
 * of them must land in none of these folders. A session adds its folder
 * (an S3 store: its local mirror) as its open starts and takes it away when
 * it closes; an open still loading counts as open.
 */
const open = new Map<string, number>();

/** Count `dir` as open until the returned function is called (once). */
export function holdOpenStore(dir: string): () => void {
  open.set(dir, (open.get(dir) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (open.get(dir) ?? 1) - 1;
    if (left > 0) open.set(dir, left);
    else open.delete(dir);
  };
}

/** Every store folder open now, in any window or server of this process. */
export function openStoreFolders(): string[] {
  return [...open.keys()];
}
