/**
 * The store doctor's report as text for a terminal or a CI log: the verdict
 * first, then one section per finding (the chain, lost writes by reason,
 * bad lines and their cause, unreadable and missing files, locks, conflicts),
 * each saying what it counts. Only the problems are explained at length.
 */
import type { StoreCheck } from "../engine/src/inspect/index.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function checkText(r: StoreCheck): string {
  const lines: string[] = [];
  const say = (text = "") => lines.push(text);
  say(`opslog store check: ${r.store}`);
  say(r.healthy ? "HEALTHY: no problems found." : `PROBLEMS: ${plural(r.problems.length, "problem")} found.`);
  say();
  say(`store      ${r.kind}; ${r.counts.records === null ? "records unknown (the current snapshot is missing)" : `${plural(r.counts.records, "record")} now`}, ${plural(r.counts.timelineOps, "op")} in the timeline, ${plural(r.counts.agents, "agent")}, ${plural(r.counts.wals, "WAL")}, ${plural(r.counts.snapshots, "snapshot")}, ${plural(r.counts.archivedRecords, "archived record")}`);
  const c = r.chain;
  say(`chain      ${plural(c.links.length, "link")}: ${c.verified} verified, ${c.mismatched} mismatched, ${c.unverifiable} unverifiable, ${c.live} live`);
  for (const l of c.links.filter((l) => l.verified === "mismatch")) say(`           mismatch: ${l.wals.join(", ") || "no WAL"} over ${l.snapshot ?? "creation"} does not give ${l.next}: ${plural(l.mismatchCount, "record")} differ (${l.mismatchIds.join(", ")})`);
  for (const l of c.links.filter((l) => l.verified === "unverifiable")) say(`           unverifiable: ${l.missing.length ? `${l.missing.join("; ")} are gone` : `${l.snapshot ?? "creation"} to ${l.next ?? "now"}`}`);
  const reasons = Object.entries(r.lostWrites.byReason).map(([reason, n]) => `${n} ${reason}`);
  say(`lost       ${plural(r.lostWrites.total, "lost write")}${reasons.length ? ` (${reasons.join(", ")})` : ""}`);
  for (const w of r.lostWrites.shown) say(`           ${w.file}:${w.line} ${w.agent ?? "single writer"} ${w.op} ${w.id} [${w.reason}]${w.heldAnyway ? " (the store holds the same value anyway)" : ""}`);
  if (r.lostWrites.total > r.lostWrites.shown.length) say(`           … and ${r.lostWrites.total - r.lostWrites.shown.length} more (--json lists the first ${r.lostWrites.shown.length})`);
  say(`bad lines  ${plural(r.badLines.total, "WAL line")} opslog skips: ${r.badLines.torn} torn, ${r.badLines.malformed} not an op`);
  for (const b of r.badLines.shown) say(`           ${b.cause}`);
  say(`unreadable ${plural(r.unreadableFiles.length, "file")}`);
  for (const f of r.unreadableFiles) say(`           ${f.message}`);
  say(`missing    ${plural(r.missingFiles.length, "file")} the manifest names`);
  for (const f of r.missingFiles) say(`           ${f.message}`);
  say(`locks      ${r.locks.length === 0 ? "none held" : r.locks.map((l) => `${l.file} ${l.state}, by ${l.holder}${l.expiresAt ? ` (until ${l.expiresAt})` : ""}`).join("; ")}`);
  say(`conflicts  ${plural(r.conflicts.total, "last-writer-wins conflict")} (a write another agent's concurrent write replaced; counted, not a problem)`);
  const told = new Set(["torn-line", "malformed-line", "unreadable-file", "missing-file"]);
  const others = r.problems.filter((p) => !told.has(p.code));
  if (others.length > 0) {
    say();
    say("problems");
    for (const p of others) say(`  ${p.severity}: ${p.message}`);
  }
  return lines.join("\n") + "\n";
}
