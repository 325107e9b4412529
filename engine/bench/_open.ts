import { openInspector } from "../src/inspect/index.js";
const dir = process.argv[2];
const t = performance.now();
const insp = await openInspector(dir, { parallel: (process.argv[3] ?? "auto") as "auto" });
console.log("open", ((performance.now() - t) / 1000).toFixed(1), "s", (process.memoryUsage().rss / 1e6).toFixed(0), "MB");
await insp.close();
