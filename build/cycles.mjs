// Finds import cycles among the TypeScript files under a folder (default
// engine/src), type-only imports included (a cycle of types still ties two
// files together): `node build/cycles.mjs [dir…]`; exits 1 if there is one.
// Part of `npm run lint`.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const roots = (process.argv.length > 2 ? process.argv.slice(2) : ["engine/src"]).map((d) => resolve(d));
const files = roots.flatMap((root) => readdirSync(root, { recursive: true }).filter((f) => /\.tsx?$/.test(f) && !f.includes("node_modules")).map((f) => join(root, f)));
const known = new Set(files);
const target = (from, spec) => {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ""));
  return [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((f) => known.has(f));
};
const edges = new Map(files.map((file) => {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
  return [file, importedFiles.map((i) => i.fileName).filter((s) => s.startsWith(".")).map((s) => target(file, s)).filter(Boolean)];
}));

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const stack = [];
const info = new Map();
const cycles = [];
function visit(v) {
  info.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v)) {
    if (!info.has(w)) visit(w), (info.get(v).low = Math.min(info.get(v).low, info.get(w).low));
    else if (info.get(w).on) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low !== info.get(v).index) return;
  const component = [];
  for (let w; w !== v; ) (w = stack.pop()), (info.get(w).on = false), component.push(w);
  if (component.length > 1 || edges.get(v).includes(v)) cycles.push(component);
}
for (const f of files) if (!info.has(f)) visit(f);
for (const c of cycles) console.log(`cycle: ${c.map((f) => relative(process.cwd(), f)).sort().join(" <-> ")}`);
console.log(`${files.length} files, ${cycles.length} cycle(s)`);
process.exit(cycles.length > 0 ? 1 : 0);
