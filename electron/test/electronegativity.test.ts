// Doyensec's electronegativity scans electron/ (it parses the .ts sources)
// for Electron security misconfigurations: none of high severity allowed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const cli = join(root, "node_modules/.bin/electronegativity");
// Its translation fetch fails at once, offline (see offline-got.mjs: got 11's retry crashes the scan under Node 26).
const OFFLINE = pathToFileURL(join(root, "electron/test/offline-got.mjs")).href;

interface Finding { issue: string; severity: string; file: string; location: string }

function parseCsv(text: string): Finding[] {
  return text.trim().split("\n").slice(1).filter(Boolean).map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "").replace(/^"|"$/g, ""));
    return { issue: cells[0], severity: cells[1], file: cells[3], location: cells[4] };
  });
}

describe("electronegativity", () => {
  it("finds no high-severity issue in electron/ and parses main.ts and preload.ts", async () => {
    const out = await mkdtemp(join(tmpdir(), "opslog-explorer-eneg-"));
    try {
      const csv = join(out, "findings.csv");
      const scan = (): { findings: Finding[]; output: string } => {
        const run = spawnSync(cli, ["-i", join(root, "electron"), "-o", csv, "-e", "41.7.1"], { encoding: "utf-8", timeout: 120_000, env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${OFFLINE}`.trim() } });
        const output = `exit ${run.status}, signal ${run.signal}; stdout: ${run.stdout}; stderr: ${run.stderr}`;
        expect(existsSync(csv), `electronegativity wrote no report: ${output}`).toBe(true);
        return { findings: parseCsv(readFileSync(csv, "utf-8")), output };
      };
      const reached = (findings: Finding[]) => findings.some((f) => f.file.endsWith("main.ts"));
      let { findings, output } = scan();
      if (!reached(findings)) {
        // Seen once in CI under Node 26 at full load: a report of a scan cut short (1.7 s). The scan is run again, and the next must reach main.ts.
        console.warn(`electronegativity: the report does not reach main.ts (${findings.length} findings; ${output}); scanning once more`);
        ({ findings, output } = scan());
      }
      expect(reached(findings), `the scan must reach main.ts: ${output}`).toBe(true);
      const high = findings.filter((f) => /HIGH|CRITICAL/i.test(f.severity));
      expect(high, JSON.stringify(high, null, 2)).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
