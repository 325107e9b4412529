// The inspector's answers: plain JSON-safe data, so the main process can pass
// them to the renderer as they are. Everything a UI lists comes in a Page.
// One file per concern under types/, all re-exported here; the calls
// themselves (InspectorApi) are derived from the query registry in api.ts.
export type * from "./types/common.js";
export type * from "./types/store.js";
export type * from "./types/timeline.js";
export type * from "./types/records.js";
export type * from "./types/conflicts.js";
export type * from "./types/schema.js";
export type * from "./types/buckets.js";
export type * from "./types/check.js";
