/**
 * Running one write and telling the user how it went: its sentence, an
 * error as an error; a write that the main process found lost (the
 * explorer's own writes beside other agents) is told as an error too, never
 * as a plain success (the banner then keeps it in view). `tell` is the app's
 * toast (state/ui.ts), passed in so that lib stays below the state.
 */
import type { ActionResult } from "../../../electron/contract";
import { errorText } from "./shownError";

/** How the outcome reaches the user: the toast's signature */
export type Tell = (kind: "ok" | "error", message: string, detail?: string) => void;

export async function runAction(label: string, call: () => Promise<ActionResult>, tell: Tell): Promise<void> {
  try {
    const result = await call();
    tell(result.lost ? "error" : "ok", result.message);
  } catch (err) {
    const e = errorText(err);
    tell("error", `${label} failed: ${e.message}`, e.detail);
  }
}
