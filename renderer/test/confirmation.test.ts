/** No React nodes in a store: a confirmation holds what the dialog says as data, and ConfirmDialog renders it. */
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { useUi } from "../src/state/ui";

describe("a confirmation", () => {
  it("refuses a React node as its body (the typecheck fails on the line below if it accepts one)", () => {
    const ask = () =>
      useUi.getState().ask({
        title: "Compact the store?",
        // @ts-expect-error: a React element is not data; a confirmation's body is plain text
        body: createElement("b", null, "bold"),
        confirmLabel: "Compact",
        onConfirm: () => undefined,
      });
    expect(ask).not.toThrow();
  });
});
