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
  {
    // Queries read the index through QueryContext's verbs, so its shape can change behind them; only the context and the inspector that owns it touch `h`.
    files: ["engine/src/inspect/**/*.ts"],
    ignores: ["engine/src/inspect/context.ts", "engine/src/inspect/inspector.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...[
          "MemberExpression[object.name='ctx'][property.name='h']",
          "MemberExpression[object.property.name='ctx'][property.name='h']",
          "VariableDeclarator[init.name='ctx'] > ObjectPattern > Property[key.name='h']",
        ].map((selector) => ({ selector, message: "Read the index through QueryContext's verbs (ctx.stateAt, ctx.valueAt, ctx.entryAt, ctx.ops...), not ctx.h: add a verb to context.ts if none fits." })),
      ],
    },
  },
);
