// What a scenario is: a name that says what the store holds, a builder that
// writes it with the published opslog, and the facts a test may expect of it
// (the scenario's own, known as it wrote them, plus the store's facts read
// off the disk afterwards).
import { observe } from "./facts.js";
import type { StoreFacts } from "./facts.js";

export interface Scenario<Own extends object> {
  /** What the store holds, as a name (the export's name) */
  name: string;
  /** One sentence on what was written, in order */
  holds: string;
  /** Write the store into dir (created if missing) and return its facts */
  build(dir: string): Promise<StoreFacts & Own>;
}

/** The facts a scenario's build returns: `let store: FactsOf<typeof twentyTasksCompactedThenEdited>`. */
export type FactsOf<S> = S extends Scenario<infer Own> ? StoreFacts & Own : never;

export function scenario<Own extends object>(name: string, holds: string, write: (dir: string) => Promise<Own>): Scenario<Own> {
  return {
    name,
    holds,
    async build(dir) {
      const own = await write(dir);
      return { ...(await observe(dir)), ...own };
    },
  };
}
