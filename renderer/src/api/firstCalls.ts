/**
 * The page's first two calls, store.summary and store.preview, sent before
 * React loads (boot.ts, which main.tsx imports first), so the answers travel
 * while the rest of the bundle evaluates (hundreds of ms on a machine busy
 * indexing), and the first render can already show the loading store.
 * The session's first load takes them (once); every later load asks again.
 */
import { api } from "./client";
import type { OpenResult, SnapshotPreview } from "../../../electron/contract";

/** A call's outcome, kept settled so that a refusal waiting here is never an unhandled rejection. */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface FirstCalls {
  summary: Promise<OpenResult>;
  preview: Promise<SnapshotPreview | null>;
}

let first: { summary: Promise<Outcome<OpenResult>>; preview: Promise<SnapshotPreview | null> } | null = null;

/** Send the first calls now (boot.ts, before React loads). */
export function sendFirstCalls(): void {
  first ??= {
    summary: api.call("store.summary", {}).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })),
    preview: api.call("store.preview", {}).catch(() => null),
  };
}

/** The first calls' answers, once (null if they were never sent or already taken). */
export function takeFirstCalls(): FirstCalls | null {
  const taken = first;
  if (!taken) return null;
  first = null;
  const summary = taken.summary.then((outcome) => {
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  });
  return { summary, preview: taken.preview };
}
