/**
 * The current state's values in the index cache (index-cache-codec.ts):
 * each record's value is absent, still on disk, here, or the snapshot value
 * its latest version names (written once, with the snapshots' values).
 */
import { CannotEncode } from "./index-cache-sections.js";
import { CurrentState } from "./versions.js";
import type { RecordVersions } from "./versions.js";

/** CurrentState's value that is still on disk, taken from an instance (the symbol is private to versions.ts). */
const LAZY: unknown = (() => {
  const probe = new CurrentState();
  probe.setLazy(0, 0, 0);
  return (probe as unknown as { values: unknown[] }).values[0];
})();

/** CurrentState's private fields the codec reads and sets. */
export interface CurrentStateFields {
  values: unknown[];
  unhashed: Uint8Array | null;
  lazy: number;
}

/**
 * The current state's values: each one absent (0), still on disk (1), here
 * (2, in `docs` in record order), or the snapshot's value its latest version
 * names (3: written with the snapshots' values, not again here).
 */
export function encodeValues(state: CurrentStateFields, versions: RecordVersions): { kinds: Uint8Array; docs: unknown[] } {
  const { values, unhashed } = state;
  const kinds = new Uint8Array(values.length);
  const docs: unknown[] = [];
  for (let rec = 0; rec < values.length; rec++) {
    const v = values[rec];
    if (v === undefined) continue;
    if (v === LAZY) kinds[rec] = unhashed?.[rec] === 1 ? 3 : 1;
    else if (typeof v === "symbol") throw new CannotEncode("an unknown symbol in CurrentState.values");
    else if (versions.lastSrc(rec) < 0 && versions.snapshotPeek(versions.lastSrc(rec)) === v) kinds[rec] = 3;
    else {
      kinds[rec] = 2;
      docs.push(v);
    }
  }
  return { kinds, docs };
}

/** The current state's values back (a snapshot's value: left on disk, with no hash), into `state`. */
export function decodeValues(encoded: { kinds: Uint8Array; docs: unknown[] }, state: CurrentStateFields): void {
  const { kinds, docs } = encoded;
  // Most values are still on disk: filled at once (a builtin), then the few others set one by one (a million stores one by one were a tenth of a reopen).
  const values: unknown[] = new Array(kinds.length).fill(LAZY);
  let d = 0;
  let unhashed: Uint8Array | null = null;
  for (let rec = 0; rec < kinds.length; rec++) {
    const kind = kinds[rec];
    if (kind === 1) continue;
    if (kind === 3) {
      (unhashed ??= new Uint8Array(kinds.length))[rec] = 1;
      state.lazy++;
    } else values[rec] = kind === 0 ? undefined : docs[d++];
  }
  state.values = values;
  state.unhashed = unhashed;
}
