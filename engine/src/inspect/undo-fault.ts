/**
 * A known fault of the published opslog (0.8.1 and earlier): its undo()
 * finds the last line of a WAL in decoded text and truncates the file at that
 * character index, not the byte index. In a WAL holding non-ASCII text the
 * cut falls short by one byte per extra byte of each multi-byte character
 * before it: the undone line goes, and so does the end of the op before it;
 * the next append then lands on that cut op's remains, on the same line, and
 * opslog skips that whole line on read. This file recognises such a line
 * (however short the remains, even shorter than `{"ts":"`), names the cut op
 * from what is left of it, and recovers the appended op, which is whole after
 * the fragment: a lost write of its own kind, never replayed (lost-writes.ts).
 */

/** Every op opslog writes starts so (JSON.stringify keeps the key order of its op object). */
const OP_START = '{"ts":"';
/** Tries to find the appended op: a few, so a junk line never costs much. */
const MAX_TRIES = 16;
/** What is left of the cut op: its ts, op and id, which opslog writes first. */
const FRAGMENT_HEAD = /^\{"ts":"([^"\\]*)","op":"(set|delete)","id":("(?:[^"\\]|\\.)*")/;

/** The few fields of a parsed op the explanation names (walscan's ScannedOp has them). */
interface OpHead {
  op: string;
  id: string;
  ts: string;
}

export interface MergedLine<Op extends OpHead = OpHead> {
  /** Character index in the line where the appended op starts */
  at: number;
  appended: Op;
  reason: string;
}

/**
 * If this malformed line is an op cut short by opslog's undo followed by a
 * whole op appended after it, the appended op and the plain-words reason.
 */
export function explainMergedLine<Op extends OpHead>(lineText: string, parseOp: (text: string) => Op | string): MergedLine<Op> | null {
  let at = lineText.indexOf(OP_START, 1);
  // The remains are a prefix of an op's line: they start with `{"ts":"`, or are cut inside it.
  if (at === -1 || !(lineText.startsWith(OP_START) || OP_START.startsWith(lineText.slice(0, at)))) return null;
  for (let tries = 0; at !== -1 && tries < MAX_TRIES; tries++, at = lineText.indexOf(OP_START, at + 1)) {
    const appended = parseOp(lineText.slice(at));
    if (typeof appended === "string") continue;
    const cut = describeFragment(lineText.slice(0, at));
    const written = `${appended.op} "${appended.id}" at ${appended.ts}`;
    const reason =
      `two ops run together, a known fault of opslog's undo() on WALs with non-ASCII text: it cut the file at a character count instead of a byte count, ` +
      `so an undo removed the undone op and also the end of the op before it (${cut}), and the next write (${written}) was appended onto what was left. ` +
      `opslog skips the whole line, so both are lost: the cut op, and the appended op, which the explorer recovered from this line and lists among the lost writes (torn by opslog's undo), never replayed. To repair the WAL, stop its writer and delete the cut op's remains from this line`;
    return { at, appended, reason };
  }
  return null;
}

/** The cut op in the user's words, from what is left of its line. */
function describeFragment(fragment: string): string {
  const head = FRAGMENT_HEAD.exec(fragment);
  if (head) {
    let id = head[3];
    try {
      id = JSON.stringify(JSON.parse(id));
    } catch {
      // keep it as written
    }
    return `${head[2]} ${id} at ${head[1]}, of which ${fragment.length} characters remain`;
  }
  const shown = fragment.length > 80 ? `${fragment.slice(0, 80)}…` : fragment;
  return `an op whose remains read ${shown}`;
}

