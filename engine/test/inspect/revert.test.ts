// Undoing only one op's own change, by hand-written cases: fields it set go
// back, fields it added go, fields it removed come back, and fields later ops
// changed again keep their later value; creates and deletes by their rules.
import { describe, expect, it } from "vitest";
import { changedFields, undoOwnChange } from "../../src/inspect/revert.js";
import type { LaterChange, RevertTarget } from "../../src/inspect/revert.js";

const v1 = { title: "Spec", status: "draft", owner: "ann", n: 1 };
// The op under test: status draft -> review, owner removed, tag added, n unchanged.
const update: RevertTarget = { op: "set", id: "doc", prev: v1, data: { title: "Spec", status: "review", n: 1, tag: "x" } };
const later = (pos: number, before: Record<string, unknown> | null, after: Record<string, unknown> | null): LaterChange => ({ pos, op: after === null ? "delete" : "set", before, after });

describe("changedFields", () => {
  it("names fields set, added and removed, and not fields left equal (deeply)", () => {
    expect(changedFields({ a: 1, b: [1, { c: 2 }], d: "x" }, { a: 2, b: [1, { c: 2 }], e: null })).toEqual(["a", "d", "e"]);
    expect(changedFields(null, { a: 1 })).toEqual(["a"]);
    expect(changedFields({ a: 1 }, null)).toEqual(["a"]);
  });
});

describe("undo only this op's change", () => {
  it("is not offered on a record archived since, and says it is in the archive (not deleted)", () => {
    const v2 = update.data!;
    const undo = undoOwnChange(update, null, [{ pos: 40, op: "archive", before: v2, after: null }]);
    expect(undo.applicable).toBe(false);
    expect(undo.explanation).toMatch(/was archived after this op \(#41 \(archive\)\)/);
    expect(undo.explanation).not.toMatch(/deleted/);
  });

  it("reverses only the op's own fields when nothing changed later", () => {
    const now = { title: "Spec", status: "review", n: 1, tag: "x" };
    const undo = undoOwnChange(update, now, []);
    expect(undo).toMatchObject({ applicable: true, value: { title: "Spec", status: "draft", owner: "ann", n: 1 }, keptLater: [] });
    expect(undo.restored.sort()).toEqual(["owner", "status", "tag"]);
  });

  it("keeps later changes to other fields and to the op's fields, and names the latter", () => {
    const v2 = update.data!;
    const v3 = { ...v2, n: 2, title: "Spec v2" };
    const v4 = { ...v3, status: "done" };
    const undo = undoOwnChange(update, v4, [later(40, v2, v3), later(41, v3, v4)]);
    expect(undo.applicable).toBe(true);
    expect(undo.value).toEqual({ title: "Spec v2", status: "done", owner: "ann", n: 2 });
    expect(undo.keptLater).toEqual(["status"]);
    expect(undo.explanation).toMatch(/"status" again/);
    expect(undo.explanation).toMatch(/^Brings back "owner" \(this op removed it\), removes "tag" \(this op added it\), and keeps everything else/);
  });

  it("is not offered when later ops changed every field the op changed", () => {
    const now = { title: "Spec", status: "done", owner: "bob", n: 1 };
    const undo = undoOwnChange(update, now, [later(40, update.data, now)]);
    expect(undo).toMatchObject({ applicable: false, value: now });
    expect(undo.keptLater.sort()).toEqual(["owner", "status", "tag"]);
  });

  it("deletes a created record only if nothing changed it since", () => {
    const create: RevertTarget = { op: "set", id: "doc", prev: null, data: v1 };
    expect(undoOwnChange(create, v1, [])).toMatchObject({ applicable: true, value: null });
    const changed = undoOwnChange(create, { ...v1, n: 2 }, [later(9, v1, { ...v1, n: 2 })]);
    expect(changed).toMatchObject({ applicable: false, value: { ...v1, n: 2 } });
    expect(changed.explanation).toMatch(/1 later op\(s\) changed it since/);
  });

  it("recreates a deleted record, and on a record created again brings back only the fields it lacks", () => {
    const del: RevertTarget = { op: "delete", id: "doc", prev: v1, data: null };
    expect(undoOwnChange(del, null, [])).toMatchObject({ applicable: true, value: v1 });
    const again = { title: "New", n: 5 };
    const undo = undoOwnChange(del, again, [later(12, null, again)]);
    expect(undo).toMatchObject({ applicable: true, value: { title: "New", n: 5, status: "draft", owner: "ann" } });
    expect(undo.keptLater.sort()).toEqual(["n", "title"]);
  });

  it("is not offered on a record a later op deleted, and names that op", () => {
    const undo = undoOwnChange(update, null, [later(50, update.data, null)]);
    expect(undo).toMatchObject({ applicable: false, value: null });
    expect(undo.explanation).toContain("#51"); // the op at pos 50 is op #51 in the UI's numbering, from 1
  });
});
