// What the virtual clock's timers, tickers and sleeps need from the clock that owns them.
import type { ScheduledEvent } from "./event-heap.ts";
import { formatDuration } from "./format.ts";
import type { ClockHost } from "./host.ts";
import type { TrapRegistry } from "./trap.ts";
import type { Duration, Instant } from "./types.ts";

export interface ClockCore {
  readonly host: ClockHost;
  readonly traps: TrapRegistry;
  /** The current virtual instant (never trapped). */
  readonly time: Instant;
  /** Schedules an event at `at` with a fresh sequence number (a reset is a new schedule). */
  schedule(e: ScheduledEvent, at: Instant): void;
  unschedule(e: ScheduledEvent): void;
  /** Runs a fired callback through the host, counted by the advance that fired it. */
  fireCallback(label: string, fn: () => void | Promise<void>, onDone?: (error?: unknown) => void): void;
}

/** Durations and instants are whole milliseconds: fractions would drift between platforms. */
export function checkWholeMs(method: string, value: number): void {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${method}: ${value} is not a whole number of milliseconds`);
}

/** Tickers need a positive period (Go panics otherwise). */
export function checkPeriod(method: string, d: Duration): void {
  checkWholeMs(method, d);
  if (d <= 0) throw new RangeError(`${method}: non-positive interval ${formatDuration(d)}`);
}

export function tagList(tags: readonly string[]): string {
  return `[${tags.join(", ")}]`;
}
