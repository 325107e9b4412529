/**
 * The renderer imports the contract's types and its small error class only:
 * the built bundle (npm run test:e2e builds it first) carries no zod and no
 * call schema.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, ROOT, test } from "../fixtures";

test("the built renderer bundle has no zod and no call schemas in it", async () => {
  const assets = join(ROOT, "dist/renderer/assets");
  const scripts = (await readdir(assets)).filter((f) => f.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(0);
  for (const file of scripts) {
    const code = await readFile(join(assets, file), "utf-8");
    // Only the match is printed on failure, not the whole bundle.
    expect(code.match(/\$?Zod(Error|Type|Object)\b/)?.[0] ?? null, `${file} carries zod`).toBeNull();
    expect(code.match(/nested deeper than the limit/)?.[0] ?? null, `${file} carries the schemas' limits`).toBeNull();
  }
});
