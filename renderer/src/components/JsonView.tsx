/** A record as collapsible JSON. */
import { JsonView as Viewer, allExpanded, defaultStyles, darkStyles } from "react-json-view-lite";
import "react-json-view-lite/dist/index.css";

export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <div className="muted">(absent)</div>;
  const base = window.matchMedia?.("(prefers-color-scheme: dark)").matches ? darkStyles : defaultStyles;
  return (
    <div className="json">
      <Viewer data={value as object} shouldExpandNode={allExpanded} style={{ ...base, container: `${base.container} json-container` }} />
    </div>
  );
}
