/** A list's result count; under a filter that is not applied (invalid, or refused), marked as the last result, not this filter's. */
export function ResultCount({ testId, text, stale }: { testId: string; text: string | null; stale: boolean }) {
  return (
    <span className={`result-count${stale ? " stale" : ""}`} data-testid={testId} title={stale ? "The filter above is not applied: this is the result from before it." : undefined}>
      {text ?? "…"}{stale && text !== null ? " (last result: this filter is not applied)" : ""}
    </span>
  );
}
