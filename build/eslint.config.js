import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "test-results/", "playwright-report/", ".bench/", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The main process reaches the engine's S3 side through its one entry (engine/src/s3/index.ts).
    files: ["electron/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/engine/src/s3/*", "!**/engine/src/s3/index.js"], message: "Import the S3 side through engine/src/s3/index.js, its one public entry." }] }],
    },
  },
);
