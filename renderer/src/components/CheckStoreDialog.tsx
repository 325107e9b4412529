/**
 * The store doctor's report in the app ("Check store", from the command
 * palette): the verdict, then each finding as `npm run check` prints it
 * (the chain's verdicts, lost writes by reason, lines opslog skips and their
 * cause, unreadable and missing files, locks and their holders, conflicts),
 * and the problems in full. The CLI's exit status is the verdict here.
 */
import { useEffect } from "react";
import type { StoreCheck } from "../../../electron/contract";
import { useCheck } from "../state/check";
import { PaneError } from "./PaneError";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function CheckStoreDialog() {
  const { open, report, error, close, run } = useCheck();
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, close]);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal check-dialog" role="dialog" aria-modal="true" aria-label="Check store" data-testid="check-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Check store</h2>
        {error ? <PaneError error={error} /> : null}
        {!report && !error ? <div className="muted">Checking the store…</div> : null}
        {report ? <CheckReport report={report} /> : null}
        <div className="modal-actions">
          <span className="muted small check-cli">The same report in CI: <code>npm run check -- {"<store>"} [--json]</code></span>
          <button onClick={() => void run()} disabled={!report && !error}>Check again</button>
          <button className="primary" onClick={close} autoFocus>Close</button>
        </div>
      </div>
    </div>
  );
}

function CheckReport({ report: r }: { report: StoreCheck }) {
  const reasons = Object.entries(r.lostWrites.byReason).map(([reason, n]) => `${n} ${reason}`).join(", ");
  const c = r.chain;
  return (
    <div className="modal-body">
      <p className={r.healthy ? "ok-text" : "bad-text"} data-testid="check-verdict">
        <strong>{r.healthy ? "Healthy: no problems found." : `${plural(r.problems.length, "problem")} found.`}</strong>
      </p>
      <dl className="check-findings" data-testid="check-findings">
        <Finding name="History chain" testId="check-chain" bad={c.mismatched > 0}>{plural(c.links.length, "link")}: {c.verified} verified, {c.mismatched} mismatched, {c.unverifiable} unverifiable, {c.live} live</Finding>
        <Finding name="Lost writes" testId="check-lost" bad={r.lostWrites.total > 0}>{plural(r.lostWrites.total, "write")} no reader sees{reasons ? ` (${reasons})` : ""}</Finding>
        <Finding name="Lines opslog skips" testId="check-lines" bad={r.badLines.total > 0}>{r.badLines.total}: {r.badLines.torn} torn, {r.badLines.malformed} not an op</Finding>
        <Finding name="Unreadable files" testId="check-unreadable" bad={r.unreadableFiles.length > 0}>{r.unreadableFiles.length}</Finding>
        <Finding name="Missing files" testId="check-missing" bad={r.missingFiles.length > 0}>{r.missingFiles.length} the manifest names</Finding>
        <Finding name="Locks" testId="check-locks" bad={r.locks.some((l) => l.state === "stale")}>{r.locks.length === 0 ? "none held" : r.locks.map((l) => `${l.file} ${l.state}, by ${l.holder}`).join("; ")}</Finding>
        <Finding name="Conflicts" testId="check-conflicts" bad={false}>{plural(r.conflicts.total, "last-writer-wins conflict")} (counted, not a problem)</Finding>
      </dl>
      {r.problems.length > 0 ? (
        <>
          <h3>Problems</h3>
          <ul className="check-problems" data-testid="check-problems">
            {r.problems.map((p, i) => <li key={i} className={p.severity === "error" ? "bad-text" : undefined}>{p.message}</li>)}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function Finding({ name, testId, bad, children }: { name: string; testId: string; bad: boolean; children: React.ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd className={bad ? "bad-text" : undefined} data-testid={testId}>{children}</dd>
    </>
  );
}
