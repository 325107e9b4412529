/**
 * Lamport logical clock for multi-writer ordering (opslog 0.3.0).
 * tick() for a local op; merge(received) to stay ahead of what was seen.
 * Ties between equal clocks are broken by agent id, outside this class.
 */
export class LamportClock {
  private counter: number;

  constructor(initial = 0) {
    this.counter = initial;
  }

  /** Increment and return the new value (for local events). */
  tick(): number {
    return ++this.counter;
  }

  /** Merge with a received clock value and increment. */
  merge(received: number): number {
    this.counter = Math.max(this.counter, received) + 1;
    return this.counter;
  }

  /** Current clock value without incrementing. */
  get current(): number {
    return this.counter;
  }
}
