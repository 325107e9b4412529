/** A record as collapsible JSON, coloured by the app's theme variables (readable in light and dark alike). */
import { JsonView as Viewer, allExpanded, defaultStyles } from "react-json-view-lite";
import "react-json-view-lite/dist/index.css";

// The library's layout classes with the app's own colour classes (styles.css: .json-*), so both schemes pass WCAG AA.
const THEMED = {
  ...defaultStyles,
  container: "_GzYRV json-container",
  label: "json-key",
  clickableLabel: "json-key _1MFti",
  nullValue: "json-literal",
  undefinedValue: "json-literal",
  stringValue: "json-string",
  booleanValue: "json-literal",
  numberValue: "json-number",
  otherValue: "json-literal",
  punctuation: "json-punct _3eOF8",
  collapseIcon: "json-punct _f10Tu _1MFti _1LId0",
  expandIcon: "json-punct _f10Tu _1MFti _1UmXx",
  collapsedContent: "json-punct _1pNG9 _1MFti",
};

export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <div className="muted">(absent)</div>;
  return (
    <div className="json">
      <Viewer data={value as object} shouldExpandNode={allExpanded} style={THEMED} />
    </div>
  );
}
