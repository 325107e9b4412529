/** How far a store's load has come, for the open screen (S3) and the loading store alike: the phase, a bar, and the figures behind it. */
import type { LoadPhase, LoadProgress } from "../../../electron/contract";
import { formatBytes, plural } from "../lib/format";
import { loadShare } from "../state/storeLoad";

const PHASES: Record<LoadPhase, string> = {
  listing: "Listing the bucket",
  fetching: "Fetching objects",
  snapshot: "Reading the snapshot",
  wals: "Reading the WALs",
  finishing: "Finishing the index",
};

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** The figures: objects (S3), bytes, ops, elapsed and an estimate of the time left. */
function figures(p: LoadProgress): string[] {
  const fetching = p.phase === "listing" || p.phase === "fetching";
  const out: string[] = [];
  if (fetching || p.totalObjects > 0) out.push(`${p.objects.toLocaleString()} of ${p.totalObjects.toLocaleString()} objects fetched`);
  if (p.totalBytes > 0) out.push(`${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} ${fetching ? "fetched" : "read"}`);
  if (!fetching) out.push(`${plural(p.ops, "op")} indexed`);
  out.push(`${seconds(p.elapsedMs)} elapsed`);
  if (p.etaMs !== null && p.etaMs > 0) out.push(`about ${seconds(p.etaMs)} left`);
  return out;
}

export function LoadProgressBar({ progress }: { progress: LoadProgress | null }) {
  const share = loadShare(progress);
  const percent = share === null ? null : Math.floor(share * 100);
  return (
    <div className="load-progress" role="status" data-testid="load-progress" data-phase={progress?.phase ?? "starting"}>
      <div className="load-progress-title">
        <b>{progress ? PHASES[progress.phase] : "Starting"}</b>
        {percent !== null ? <span data-testid="load-percent">{percent}%</span> : null}
      </div>
      <div className="load-progress-track" aria-hidden="true">
        <div className={`load-progress-fill${share === null ? " unknown" : ""}`} style={{ width: `${percent ?? 100}%` }} />
      </div>
      <div className="muted small" data-testid="load-figures">{progress ? figures(progress).join(" · ") : "Waiting for the first figures…"}</div>
    </div>
  );
}
