/** An error as a pane or a toast shows it: the contract's message, its detail, and its code when it came from the main process. */
import { CallError } from "../../../electron/call-error";

export interface ShownError {
  message: string;
  detail?: string;
  code?: string;
}

export function errorText(err: unknown): ShownError {
  if (err instanceof CallError) return { message: err.message, detail: err.detail, code: err.code };
  return { message: err instanceof Error ? err.message : String(err) };
}
