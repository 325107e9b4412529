/**
 * Regexes from filters, run in linear time: a JavaScript pattern and flags
 * become an RE2 program (re2js, a pure-JavaScript port of RE2), so that no
 * pattern ("^(a+)+$") can backtrack for ever on any text. Constructs RE2
 * cannot run in linear time (backreferences, lookaround) are refused with a
 * bad-filter error naming them. JavaScript's meaning of `.` and `\s` is kept;
 * known differences left: with the m flag, ^ and $ break lines at \n only
 * (JavaScript also at \r, \u2028, \u2029), and the g and y flags' lastIndex
 * state is not kept (y anchors at the start, g is ignored).
 */
import { RE2JS } from "re2js";
import { OpslogError } from "../errors.js";

/** JavaScript's \s, spelled out (RE2's \s is ASCII only) */
const JS_SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
/** JavaScript's `.` without the s flag: anything but a line terminator (RE2's `.` excludes only \n) */
const JS_DOT = "[^\\n\\r\\u2028\\u2029]";

const REFUSED: [RegExp, string][] = [
  [/^\(\?=/, "a lookahead (?=...)"],
  [/^\(\?!/, "a negative lookahead (?!...)"],
  [/^\(\?<=/, "a lookbehind (?<=...)"],
  [/^\(\?<!/, "a negative lookbehind (?<!...)"],
  [/^\\[1-9]/, "a backreference (\\1 to \\9)"],
  [/^\\k</, "a named backreference (\\k<name>)"],
];

function refuse(source: string, what: string): never {
  throw new OpslogError("bad-filter", `The regex /${source}/ uses ${what}, which filters cannot use: their regexes run in linear time (RE2), so that no pattern can freeze the explorer. Rewrite the pattern without it.`);
}

/** The pattern with `.` and `\s` spelled as JavaScript means them; refuses what RE2 cannot run. */
function asJavaScriptMeans(source: string, dotAll: boolean): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (!inClass) for (const [construct, what] of REFUSED) if (construct.test(source.slice(i, i + 4))) refuse(source, what);
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      i++;
      if (next === "s") out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === "S" && !inClass) out += `[^${JS_SPACE}]`;
      else if (next === "b" && inClass) out += "\\x08"; // [\b] is a backspace in JavaScript
      else out += c + next;
    } else if (c === "[" && !inClass) {
      inClass = true;
      out += c;
    } else if (c === "]" && inClass) {
      inClass = false;
      out += c;
    } else out += c === "." && !inClass && !dotAll ? JS_DOT : c;
  }
  return out;
}

/** RE2 for a JavaScript regex; bad-filter if it cannot be run in linear time. */
export function compileLinear(source: string, flags: string): RE2JS {
  let pattern = RE2JS.translateRegExp(asJavaScriptMeans(source, flags.includes("s")));
  if (flags.includes("y")) pattern = `\\A(?:${pattern})`;
  const re2Flags = (flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes("m") ? RE2JS.MULTILINE : 0) | (flags.includes("s") ? RE2JS.DOTALL : 0);
  try {
    return RE2JS.compile(pattern, re2Flags);
  } catch (err) {
    throw new OpslogError("bad-filter", `The regex /${source}/ cannot run in the explorer's linear-time regex engine (RE2): ${(err as Error).message}.`);
  }
}

/**
 * A RegExp whose matching runs in RE2. It stays a RegExp (mingo recognises
 * regexes with instanceof), and String.prototype.match and friends go
 * through exec, so every use of it is linear.
 */
export class LinearRegExp extends RegExp {
  readonly #re2: RE2JS;

  constructor(regex: RegExp) {
    super(regex.source, regex.flags);
    this.#re2 = compileLinear(regex.source, regex.flags);
  }

  override exec(text: string): RegExpExecArray | null {
    const input = String(text);
    // RE2's test runs its DFA, far faster than exec's capture tracking; mingo mostly meets records that do not match.
    return this.#re2.test(input) ? (this.#re2.exec(input) as RegExpExecArray | null) : null;
  }

  override test(text: string): boolean {
    return this.#re2.test(String(text));
  }
}
