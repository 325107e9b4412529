/**
 * The versions of every record grouped by record (RecordVersions.seal): a
 * counting sort of the timeline's versions and the few a snapshot logged,
 * stable, so each record's stay in push order. Plain typed arrays in and
 * out, so that a scan worker can do it while the build's thread does the
 * build's last steps (parallel.ts).
 */

/** What the grouping reads: each timeline position's record and op entry, and the snapshot versions logged (in push order). */
export interface VersionsToGroup {
  records: number;
  recs: Int32Array;
  entries: Int32Array;
  logRec: Int32Array;
  logK: Int32Array;
  logSrc: Int32Array;
}

/** How many records, timeline versions and logged ones a VersionsToGroup holds (kept by the sender: its arrays go to the worker). */
export interface GroupSizes {
  records: number;
  ops: number;
  logged: number;
}

export function groupSizes(input: VersionsToGroup): GroupSizes {
  return { records: input.records, ops: input.recs.length, logged: input.logRec.length };
}

/** Each record's versions from start[rec] to start[rec + 1]: from state ks[i] on, the value is srcs[i]. */
export interface GroupedVersions {
  start: Int32Array<ArrayBuffer>;
  ks: Int32Array<ArrayBuffer>;
  srcs: Int32Array<ArrayBuffer>;
}

/** The versions grouped by record: a logged snapshot version at k goes after the op at position k - 1, as it was pushed. */
export function groupVersions(input: VersionsToGroup): GroupedVersions {
  const { records, recs, entries, logRec, logK, logSrc } = input;
  const ops = recs.length;
  const logged = logRec.length;
  const start = new Int32Array(records + 1);
  for (let p = 0; p < ops; p++) start[recs[p] + 1]++;
  for (let i = 0; i < logged; i++) start[logRec[i] + 1]++;
  for (let r = 0; r < records; r++) start[r + 1] += start[r];
  const next = start.slice(0, records);
  const ks = new Int32Array(ops + logged);
  const srcs = new Int32Array(ops + logged);
  let i = 0;
  for (let p = 0; p < ops; p++) {
    for (; i < logged && logK[i] <= p; i++) {
      const j = next[logRec[i]]++;
      ks[j] = logK[i];
      srcs[j] = logSrc[i];
    }
    const j = next[recs[p]]++;
    ks[j] = p + 1;
    srcs[j] = entries[p];
  }
  // The last snapshot's, at the timeline's end.
  for (; i < logged; i++) {
    const j = next[logRec[i]]++;
    ks[j] = logK[i];
    srcs[j] = logSrc[i];
  }
  return { start, ks, srcs };
}
