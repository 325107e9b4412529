/**
 * What `npm start` (build/start.mjs) needs before it starts the app: the
 * command line's parser and the signals that end the explorer. Bundled
 * beside the app (dist/electron/start-cli.cjs, build/bundle.mjs), so a start
 * with a fresh bundle compiles no TypeScript (the parser's imports reach the
 * engine: about a second under tsx); start.mjs reads the sources under tsx
 * when the bundle is missing or stale.
 */
export { parseCommandLine, usage, UsageError, withoutChromiumSwitches } from "./args.js";
export { ENDING_SIGNALS } from "./shutdown.js";
