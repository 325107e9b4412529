/** "current period only" beside a count or a list while an S3 store's history is still loading: it is not the whole store's yet. */
import { useHistoryLoading } from "../state/historyLoad";

export function PartialTag() {
  const loading = useHistoryLoading();
  if (!loading) return null;
  return <span className="partial-tag" data-testid="partial-tag" title="The history behind the current state is still being fetched: this covers the current period only, and updates when the history is in">current period only</span>;
}
