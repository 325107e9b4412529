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
      // location.js, the address alone, is the one other entry: free of the AWS SDK, so that what parses an address never loads the S3 client (a folder store never needs it).
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/engine/src/s3/*", "!**/engine/src/s3/index.js", "!**/engine/src/s3/location.js"], message: "Import the S3 side through engine/src/s3/index.js, its one public entry (or location.js for an address alone)." }] }],
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
  // The renderer's layers, lowest first: lib (pure helpers) <- api (the contract client) <- state (the stores) <- commands.ts <- components <- views <- App. A file imports only its own layer and those below.
  ...rendererLayers([
    ["renderer/src/lib/**", ["api", "state", "commands", "components", "views", "App"]],
    ["renderer/src/api/**", ["state", "commands", "components", "views", "App"]],
    ["renderer/src/state/**", ["commands", "components", "views", "App"]],
    ["renderer/src/commands.ts", ["components", "views", "App"]],
    ["renderer/src/components/**", ["views", "App"]],
    ["renderer/src/views/**", ["App"]],
  ]),
);

/** One rule per layer: the layers above it, refused by name (a folder, or a top-level file). */
function rendererLayers(layers) {
  return layers.map(([files, above]) => ({
    files: [files.endsWith("**") ? `${files}/*.{ts,tsx}` : files],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: above.flatMap((name) => [`**/${name}/*`, `**/${name}`, `./${name}`, `../${name}`]), message: "An upward import: the renderer's layers are lib <- api <- state <- commands.ts <- components <- views <- App (build/eslint.config.js)." }] }],
    },
  }));
}
