/** A failure shown where it happened: the main process's message, and its detail (file, line, what to do). */
import type { ShownError } from "../api/client";

export function PaneError({ error, testId }: { error: ShownError; testId?: string }) {
  return (
    <div className="pane-error" role="alert" data-testid={testId ?? "pane-error"}>
      {error.message}
      {error.detail ? <div className="detail">{error.detail}</div> : null}
    </div>
  );
}
