// Types for build/fresh.mjs (imported by its unit test).
export function newestMtime(paths: string[]): number;
export function isStale(output: string, inputs: string[]): boolean;
export function buildRendererIfStale(): boolean;
export function bundleMainIfStale(): boolean;
export function mainBundleFresh(): boolean;
export function buildIfStale(stamp: string, inputs: string[], build: () => void): boolean;
