import { describe, expect, it } from "vitest";
import { parseFilter } from "../src/lib/filter";

describe("the filter bar's parser", () => {
  it("accepts strict JSON", () => {
    expect(parseFilter('{"status": "open"}')).toEqual({ ok: true, value: { status: "open" } });
  });

  it("accepts Compass shorthand: unquoted keys, single quotes and operators", () => {
    expect(parseFilter("{status: 'open', estimate: {$gt: 3}}")).toEqual({ ok: true, value: { status: "open", estimate: { $gt: 3 } } });
  });

  it("treats an empty box or {} as no filter", () => {
    expect(parseFilter("  ")).toEqual({ ok: true, value: undefined });
    expect(parseFilter("{}")).toEqual({ ok: true, value: undefined });
  });

  it("names an unclosed bracket plainly", () => {
    const parsed = parseFilter('{status: "todo"');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('"{" never closed');
  });

  it("refuses a value that is not an object", () => {
    expect(parseFilter("[1, 2]").ok).toBe(false);
    expect(parseFilter("42").ok).toBe(false);
  });

  it("leaves braces inside strings alone", () => {
    expect(parseFilter('{"title": "a } b"}')).toEqual({ ok: true, value: { title: "a } b" } });
  });

  it("never evaluates the text as code", () => {
    expect(parseFilter("{a: (() => 1)()}").ok).toBe(false);
  });
});
