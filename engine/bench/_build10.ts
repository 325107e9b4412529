import { openInspector } from "../src/inspect/index.js";
const cpu = process.cpuUsage();
const t = performance.now();
const insp = await openInspector("/tmp/opslog-bench/ten-10000000");
const c = process.cpuUsage(cpu);
console.log(`build ${(performance.now() - t).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
await insp.close();
