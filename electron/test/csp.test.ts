// The renderer's Content-Security-Policy is written twice: the header
// (electron/csp.ts, sent by browser mode and by the desktop app's app://
// scheme, window-security.ts) and the meta tag in renderer/index.html, which
// holds wherever the page is opened without the header. They must say the
// same thing, directive by directive, but for frame-ancestors, which a meta
// tag cannot carry: both the header's ways cover it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../csp.js";

const root = new URL("../..", import.meta.url).pathname;

/** A policy as directive -> sorted sources. */
function parsePolicy(policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of policy.split(";").map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    out[name.toLowerCase()] = sources.sort();
  }
  return out;
}

function metaPolicy(): string {
  const html = readFileSync(join(root, "renderer/index.html"), "utf-8");
  const tag = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  if (!tag) throw new Error("renderer/index.html has no Content-Security-Policy meta tag");
  return tag[1];
}

// Browsers ignore these in a meta tag (CSP3 §4.2): the header alone carries them.
const HEADER_ONLY = ["frame-ancestors", "report-uri", "sandbox"];

describe("the Content-Security-Policy", () => {
  it("is the same in renderer/index.html's meta tag as in electron/csp.ts, but for header-only directives", () => {
    const header = parsePolicy(CONTENT_SECURITY_POLICY);
    for (const name of HEADER_ONLY) delete header[name];
    expect(parsePolicy(metaPolicy())).toEqual(header);
  });

  it("forbids form submissions, plugins, base changes and eval, in both", () => {
    for (const policy of [parsePolicy(CONTENT_SECURITY_POLICY), parsePolicy(metaPolicy())]) {
      expect(policy["form-action"]).toEqual(["'none'"]);
      expect(policy["object-src"]).toEqual(["'none'"]);
      expect(policy["base-uri"]).toEqual(["'none'"]);
      expect(policy["script-src"]).toEqual(["'self'"]);
    }
  });
});
