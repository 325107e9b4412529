import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["engine/test/**/*.test.ts", "electron/test/**/*.test.ts", "renderer/test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Explorers the tests start (serve, cli) keep no index in the user's cache folder; the cache's own tests name a folder of their own.
    env: { OPSLOG_EXPLORER_INDEX_CACHE: "off" },
  },
});
