/**
 * How far an index build has come, for a UI that shows it while a big store
 * opens: the phase (reading the snapshot, reading the WALs, finishing), the
 * bytes read of the bytes to read, and the ops indexed. The build counts;
 * BuildMeter hands the figures on at most every REPORT_MS, and always at a
 * phase change, so counting costs nothing measurable.
 */
export type BuildPhase = "snapshot" | "wals" | "finishing";

export interface BuildProgress {
  phase: BuildPhase;
  bytes: number;
  totalBytes: number;
  ops: number;
}

export type OnBuildProgress = (progress: BuildProgress) => void;

const REPORT_MS = 100;

export class BuildMeter {
  private progress: BuildProgress = { phase: "snapshot", bytes: 0, totalBytes: 0, ops: 0 };
  private lastReport = 0;

  constructor(private readonly report?: OnBuildProgress) {}

  /** Start over (a build that restarts): `totalBytes` are the files it will read. */
  begin(totalBytes: number): void {
    this.progress = { phase: "snapshot", bytes: 0, totalBytes, ops: 0 };
    this.send();
  }

  phase(phase: BuildPhase): void {
    if (this.progress.phase === phase) return;
    this.progress.phase = phase;
    this.send();
  }

  read(bytes: number, ops = 0): void {
    this.progress.bytes = Math.min(this.progress.totalBytes, this.progress.bytes + bytes);
    this.progress.ops += ops;
    if (this.report && Date.now() - this.lastReport >= REPORT_MS) this.send();
  }

  private send(): void {
    if (!this.report) return;
    this.lastReport = Date.now();
    this.report({ ...this.progress });
  }
}
