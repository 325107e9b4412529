// A second explorer process sharing the app data folder, for appdata.test.ts:
// `node --import tsx appdata-child.ts <home> <name> <count>` saves <count>
// queries named <name>-<i> and remembers <count> stores <name>-store-<i>, all
// at once, then prints one JSON line: how many of each were answered ok.
import { AppData } from "../appdata.js";

const [home, name, countText] = process.argv.slice(2);
const count = Number(countText);
const appData = new AppData(home);
const settle = async (work: Promise<unknown>[]) => (await Promise.allSettled(work)).filter((r) => r.status === "fulfilled").length;
// Each save goes through its own QueryHistory, as each call of a separate server would.
const saved = await settle(Array.from({ length: count }, (_, i) => new AppData(home).queries.save("/stores/shared", "records", `${name}-${i}`, `{"n": ${i}}`)));
const remembered = await settle(Array.from({ length: count }, (_, i) => appData.remember(`/stores/${name}-store-${i}`)));
process.stdout.write(JSON.stringify({ saved, remembered }) + "\n");
