// Test double of the Clock for db tests that run without the kernel: `now` is whatever the test
// set, and `sleep` resolves at once while recording what slept (each record is one park point).
import type { Duration, Instant } from "../../src/clock/types.ts";
import type { DatabaseClock } from "../../src/db/connection.ts";

export interface SleepRecord {
  duration: Duration;
  tags: string[];
}

export class InstantClock implements DatabaseClock {
  readonly sleeps: SleepRecord[] = [];
  /** Runs inside each sleep, before it resolves: lets a test act "while a task is parked". */
  onSleep: ((record: SleepRecord) => void) | undefined;

  constructor(public current: Instant) {}

  now(): Instant {
    return this.current;
  }
  async sleep(d: Duration, ...tags: string[]): Promise<void> {
    const record = { duration: d, tags };
    this.sleeps.push(record);
    this.onSleep?.(record);
  }
}
