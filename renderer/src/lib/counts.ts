/**
 * How the header's counts read: each says what it counts, so that two
 * counts that differ say why. Ops: those in the timeline, and the lost
 * writes beside them (the Agents lanes count every op of every WAL file);
 * writers: agents, or the one single writer; warnings: by severity, an
 * info notice never counted as a warning.
 */
import type { StoreSummary, StoreWarning } from "../../../electron/contract";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "43 ops in the timeline", and the title that ties it to the lanes' count */
export function opsCount(counts: StoreSummary["counts"]): { text: string; title: string } {
  const outside = counts.walOps - counts.timelineOps;
  const text = `${plural(counts.timelineOps, "op")} in the timeline`;
  const title = `Ops replayed in the timeline, back through compactions. The WAL files hold ${plural(counts.walOps, "op")} (the Agents lanes count them all)${outside > 0 ? `: ${outside.toLocaleString()} of them are in no reader's timeline` : ""}.`;
  return { text, title };
}

/** "7 lost", or null when nothing is lost */
export function lostCount(counts: StoreSummary["counts"]): { text: string; title: string } | null {
  if (counts.lostWrites === 0) return null;
  return { text: `${counts.lostWrites.toLocaleString()} lost`, title: `${plural(counts.lostWrites, "write")} no reader of the store sees, though ${counts.lostWrites === 1 ? "its writer believes it" : "their writers believe them"} saved: see Agents → Lost writes.` };
}

/**
 * Who writes the store: "3 agents", "single writer" (no agent ids: the Agents
 * view's lane "the writer"), both, or nobody yet. An agent counts once it has
 * written an op: a WAL registered but still empty (agent mode before the
 * explorer writes) is named in the title, not counted.
 */
export function writersCount(summary: Pick<StoreSummary, "agents" | "lanes">): { text: string; title: string } {
  const single = summary.lanes.some((l) => l.agent === null);
  const wrote = new Set(summary.lanes.filter((l) => l.agent !== null && l.ops > 0).map((l) => l.agent));
  const idle = summary.agents.filter((a) => !wrote.has(a));
  const idleNote = idle.length ? `; not counted, an empty WAL so far: ${idle.join(", ")}` : "";
  if (wrote.size === 0 && !single) return { text: "no writer yet", title: `No WAL file holds an op yet${idleNote}.` };
  if (wrote.size === 0) return { text: "single writer", title: `A single-writer store: its ops carry no agent id (the Agents view's lane "the writer")${idleNote}.` };
  const text = `${plural(wrote.size, "agent")}${single ? " + single writer" : ""}`;
  return { text, title: `Agents that have written at least one op to a WAL of their own${single ? ", and a single-writer WAL whose ops carry no agent id" : ""}${idleNote}.` };
}

/** The warnings badge: "no warnings", or each severity counted by its own name ("1 error · 2 warnings · 1 notice") */
export function warningsCount(warnings: Pick<StoreWarning, "severity">[]): string {
  if (warnings.length === 0) return "no warnings";
  const of = (severity: StoreWarning["severity"]) => warnings.filter((w) => w.severity === severity).length;
  const parts = [[of("error"), "error"], [of("warning"), "warning"], [of("info"), "notice"]] as const;
  return parts.filter(([n]) => n > 0).map(([n, name]) => plural(n, name)).join(" · ");
}
