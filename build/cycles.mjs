// Finds import cycles among the TypeScript files under a folder (default
// engine/src), type-only imports included (a cycle of types still ties two
// files together): `node build/cycles.mjs [dir]`; exits 1 if there is one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const root = resolve(process.argv[2] ?? "engine/src");
const files = readdirSync(root, { recursive: true }).filter((f) => f.endsWith(".ts")).map((f) => join(root, f));
const known = new Set(files);
const edges = new Map(files.map((file) => {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
  const targets = importedFiles.map((i) => i.fileName).filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
  return [file, targets.filter((t) => known.has(t))];
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
