import { describe, expect, it } from "vitest";
import { rowsInView, scrollToShow } from "../src/lib/rowWindow";

describe("rowsInView", () => {
  it("draws the rows in view and the overscan on each side, within the table", () => {
    expect(rowsInView(1_000_000, 28, 0, 280, 20)).toEqual({ first: 0, last: 29 });
    expect(rowsInView(1_000_000, 28, 28 * 500, 280, 20)).toEqual({ first: 480, last: 529 });
    expect(rowsInView(1_000_000, 28, 28 * 500 + 14, 280, 20)).toEqual({ first: 480, last: 530 });
    expect(rowsInView(1_000_000, 28, 28 * 999_995, 280, 20)).toEqual({ first: 999_975, last: 999_999 });
  });

  it("draws nothing for an empty table, and the one row of a view not measured yet", () => {
    expect(rowsInView(0, 28, 0, 280, 20)).toEqual({ first: 0, last: -1 });
    expect(rowsInView(100, 28, 0, 0, 0)).toEqual({ first: 0, last: 0 });
  });

  it("keeps a table scrolled past its new end (a filter that shrank it) on its last rows", () => {
    expect(rowsInView(10, 28, 28 * 5_000, 280, 20)).toEqual({ first: 0, last: 9 });
  });
});

describe("scrollToShow", () => {
  // A view of 310 px with a 30 px sticky header: 280 px of rows, 10 rows of 28 px.
  it("leaves the offset when the row is whole in view below the header", () => {
    expect(scrollToShow(9, 1000, 28, 0, 310, 30)).toBe(0);
    expect(scrollToShow(50, 1000, 28, 50 * 28, 310, 30)).toBe(50 * 28);
  });

  it("scrolls a row below the view up to the bottom, and a row above it (or under the header) down to just below the header", () => {
    expect(scrollToShow(10, 1000, 28, 0, 310, 30)).toBe(11 * 28 - 280);
    expect(scrollToShow(49, 1000, 28, 50 * 28, 310, 30)).toBe(49 * 28);
    expect(scrollToShow(49, 1000, 28, 49 * 28 + 1, 310, 30)).toBe(49 * 28);
  });

  it("stays within the table", () => {
    expect(scrollToShow(0, 1000, 28, 28 * 3, 310, 30)).toBe(0);
    expect(scrollToShow(5_000, 1000, 28, 0, 310, 30)).toBe(1000 * 28 + 30 - 310);
  });
});
