// What a scenario is: a name that says what the store holds, a builder that
// writes it with the published opslog, and the facts a test may expect of it
// (the scenario's own, known as it wrote them, plus the store's facts read
// off the disk afterwards).
import type { Store as Published } from "@backloghq/opslog";
import { observe } from "./facts.js";
import type { StoreFacts } from "./facts.js";
import { openPublishedAgent } from "./published.js";
import type { Task } from "./published.js";

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

/** Opens an agent of the published opslog on the store being written: a folder, or an S3 prefix through opslog-s3. */
export type OpenAgent = (agentId: string) => Promise<Published<Task>>;

/** A scenario written by agents alone, so that the same script can write it on any backend. */
export interface AgentScenario<Own extends object> extends Scenario<Own> {
  /** Write the store through agents that open elsewhere (an S3 prefix); returns the scenario's own facts */
  writeWith(open: OpenAgent): Promise<Own>;
}

export function agentScenario<Own extends object>(name: string, holds: string, write: (open: OpenAgent) => Promise<Own>): AgentScenario<Own> {
  return { ...scenario(name, holds, (dir) => write((agentId) => openPublishedAgent(dir, agentId))), writeWith: write };
}
