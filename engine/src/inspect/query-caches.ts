/**
 * The caches the queries keep for the page being scrolled (the last records
 * filter, the last diff, the time columns of the charts...), each valid for
 * one key. They live in one object, owned by the QueryContext, so that a
 * rebuild or new ops drop all of them at once: none can be missed.
 */
/** Named caches of derived answers, each valid for one key (the request and the index's size it was computed for). */
export class QueryCaches {
  private readonly slots = new Map<string, { key: string; value: unknown }>();
  /** Counts clears: a value computed across one (a query that yielded while the index changed) is not kept */
  private generation = 0;

  /** The value cached under `name` for `key`, or undefined. */
  get<T>(name: string, key: string): T | undefined {
    const slot = this.slots.get(name);
    return slot?.key === key ? (slot.value as T) : undefined;
  }

  /** The last value cached under `name`, whatever its key (to reuse parts of it). */
  last<T>(name: string): T | undefined {
    return this.slots.get(name)?.value as T | undefined;
  }

  set<T>(name: string, key: string, value: T): T {
    this.slots.set(name, { key, value });
    return value;
  }

  /** The cached value, or compute and keep it. */
  cached<T>(name: string, key: string, compute: () => T): T {
    const slot = this.slots.get(name);
    if (slot?.key === key) return slot.value as T;
    return this.set(name, key, compute());
  }

  /** The cached value, or compute it (a query that yields between chunks) and keep it unless the caches were cleared meanwhile. */
  async cachedAsync<T>(name: string, key: string, compute: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(name);
    if (slot?.key === key) return slot.value as T;
    const generation = this.generation;
    const value = await compute();
    if (generation === this.generation) this.set(name, key, value);
    return value;
  }

  clear(): void {
    this.slots.clear();
    this.generation++;
  }
}
