// The published opslog as the scenarios' only writer and reader: the task
// shape they write, a clock that moves on between writes, the state after
// every op as the writer itself reported it, and the published Store's own
// reading of a store. Nothing here imports the engine under test or vitest,
// so unit, handler and e2e tests can all load it.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Store as Published } from "@backloghq/opslog";

export type Doc = Record<string, unknown>;
export type Task = { title: string; status: string; n: number; tags: string[]; notes?: string };
/** The records at one position, by id. */
export type State = Map<string, Doc>;

/** Wait until the clock moves on, so that file names (snap-<ms>) and op timestamps differ. */
export async function nextMs(): Promise<void> {
  const start = Date.now();
  const deadline = start + 1000;
  while (Date.now() === start && Date.now() < deadline) await new Promise((r) => setImmediate(r));
}

const LONG = "a title long enough that opslog writes small updates as deltas";

export function task(i: number, status: string, extra: Partial<Task> = {}): Task {
  return { title: `${LONG} #${i}`, status, n: i, tags: ["infra", "agents"], ...extra };
}

/** The state after each op, in write order, as the published Store reports it: states[p] = state after p ops. */
export class StateLog {
  readonly states: State[] = [new Map()];
  constructor(private store: Published<Task>) {}

  private now(): State {
    return new Map(this.store.entries().map(([id, v]) => [id, v as unknown as Doc]));
  }
  record(): void {
    this.states.push(this.now());
  }
  /** An op vanished (undo): the previous state stands again. */
  drop(): void {
    this.states.pop();
  }
  /** A change without an op (archive): the latest state is replaced. */
  replaceLast(): void {
    this.states[this.states.length - 1] = this.now();
  }
}

/** An agent of the published opslog on dir (no automatic compaction, none on close), a ms after the last. */
export async function openPublishedAgent(dir: string, agentId: string): Promise<Published<Task>> {
  const store = new Published<Task>();
  await store.open(dir, { agentId, checkpointThreshold: 1000, checkpointOnClose: false });
  await nextMs();
  return store;
}

const byId = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

/** The published Store's own current state, sorted by id, opened read-only (no agent) or as an agent. */
export async function publishedState(dir: string, agentId?: string): Promise<[string, unknown][]> {
  const store = new Published<Task>();
  await store.open(dir, agentId ? { agentId, checkpointOnClose: false } : { readOnly: true });
  const entries = store.entries().sort(byId);
  await store.close();
  return entries;
}

/**
 * What the published opslog reads from a store, from a throwaway copy: opslog
 * 0.8.1 registers an agent (a new WAL) on a multi-writer store even when read-only.
 */
export async function publishedStateOfCopy(dir: string, multiWriter: boolean): Promise<[string, Doc][]> {
  const copy = await mkdtemp(join(tmpdir(), "opslog-scenario-copy-"));
  try {
    await cp(dir, copy, { recursive: true });
    return (await publishedState(copy, multiWriter ? "scenario-observer" : undefined)) as [string, Doc][];
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
