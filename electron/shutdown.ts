/**
 * Ending the explorer without leaving a store locked. Every signal that ends
 * the process (Ctrl-C, a closed terminal, a service manager's stop) first
 * closes every open store, which releases the writer's `.lock` and the agent's
 * compaction lock, and only then exits; more signals meanwhile are ignored
 * (Ctrl-C and a closing terminal signal the whole process group, and npm
 * start passes its own signal on too: one stop must not be cut short by its
 * echo). The same for the desktop app's own quit. Plain Node, no Electron
 * import: the app's pieces come in as narrow interfaces, so tests drive this
 * with stand-ins (the Electron binary may be missing).
 */

/** The signals that end the process, on this platform (listening for one the platform lacks throws on Windows). */
export const ENDING_SIGNALS: readonly NodeJS.Signals[] = process.platform === "win32" ? ["SIGINT", "SIGBREAK", "SIGHUP"] : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

/** What this needs of `process`: signals in, and the IPC channel to a parent (npm start's build/start.mjs) that may go away. */
export interface SignalSource {
  on(event: NodeJS.Signals | "disconnect", listener: () => void): unknown;
}

/**
 * On the first ending signal (or the parent's IPC channel closing: the
 * process that started this one is gone), run `stop`, then `exit(0)`
 * (`exit(1)` if it failed, after `report` has said why). Returns the shutdown, once started.
 */
export function stopOnSignals(stop: () => Promise<void>, exit: (code: number) => void, source: SignalSource = process, report: (err: unknown) => void = reportToStderr): () => Promise<void> | null {
  let stopping: Promise<void> | null = null;
  const begin = () => {
    if (stopping) return;
    stopping = stop().then(
      () => exit(0),
      (err: unknown) => {
        report(err);
        exit(1);
      },
    );
  };
  for (const signal of ENDING_SIGNALS) source.on(signal, begin);
  source.on("disconnect", begin);
  return () => stopping;
}

function reportToStderr(err: unknown): void {
  process.stderr.write(`opslog explorer: closing on a signal failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}

/** What this needs of Electron's `app`. */
export interface QuittingApp {
  on(event: "will-quit", listener: (event: { preventDefault(): void }) => void): unknown;
  exit(code?: number): void;
}

/**
 * The desktop app: a quit (menu, last window closed) or an ending signal
 * closes every window's stores before the process exits. Electron does not
 * wait for a window's async cleanup, so the quit is held (preventDefault)
 * until `closeAll` has released the locks, then finished with app.exit.
 */
export function closeStoresBeforeQuit(app: QuittingApp, closeAll: () => Promise<void>, source: SignalSource = process): void {
  let closed: Promise<void> | null = null;
  const closeOnce = () => (closed ??= closeAll().catch(() => undefined));
  app.on("will-quit", (event) => {
    if (closed) return; // the stores are closed (or closing, and exit follows): let the quit go on
    event.preventDefault();
    void closeOnce().then(() => app.exit(0));
  });
  stopOnSignals(closeOnce, (code) => app.exit(code), source);
}
