/**
 * Running one write and telling the user how it went: its sentence as a
 * toast, an error as an error toast; a write that the main process found
 * lost (the explorer's own writes beside other agents) is an error toast too,
 * never a plain success (the banner then keeps it in view).
 */
import type { ActionResult } from "../../../electron/contract";
import { errorText } from "../api/client";
import { useUi } from "./ui";

export async function runAction(label: string, call: () => Promise<ActionResult>): Promise<void> {
  const { toast } = useUi.getState();
  try {
    const result = await call();
    toast(result.lost ? "error" : "ok", result.message);
  } catch (err) {
    const e = errorText(err);
    toast("error", `${label} failed: ${e.message}`, e.detail);
  }
}
