// Progress of long commands on stderr, only when stderr is a terminal (logs and pipes stay clean).
// The line is redrawn in place at most a few times a second, measured on the real clock: the one
// place besides the command's own wall time where prebuildsim looks at real time.
import { RealClock } from "../clock/real.ts";

const REDRAW_EVERY_MS = 250;

export class Progress {
  readonly #clock = new RealClock();
  readonly #enabled: boolean;
  #lastDraw = 0;
  #drawn = false;

  constructor(
    readonly stream: NodeJS.WriteStream = process.stderr,
    enabled: boolean = stream.isTTY === true,
  ) {
    this.#enabled = enabled;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * The line's width: one less than the terminal's, so the cursor never wraps. A pseudo-terminal
   * without a size (`script`, some CI runners) reports 0 columns: then 99.
   */
  #width(): number {
    const columns = this.stream.columns ?? 0;
    return columns > 0 ? Math.max(20, columns - 1) : 99;
  }

  /** Redraws the line unless it was drawn very recently (or `force`). */
  update(text: string, force = false): void {
    if (!this.#enabled) return;
    const now = this.#clock.now();
    if (!force && now - this.#lastDraw < REDRAW_EVERY_MS) return;
    this.#lastDraw = now;
    const width = this.#width();
    this.stream.write(`\r${text.slice(0, width).padEnd(width)}`);
    this.#drawn = true;
  }

  /** Clears the line so the command's own output starts on a clean line. */
  done(): void {
    if (!this.#enabled || !this.#drawn) return;
    this.stream.write(`\r${" ".repeat(this.#width())}\r`);
    this.#drawn = false;
  }
}

/** Wall time in seconds since `startedAt` (a RealClock reading). */
export function wallClock(): { now(): number; secondsSince(t: number): number } {
  const clock = new RealClock();
  return { now: () => clock.now(), secondsSince: (t) => (clock.now() - t) / 1000 };
}
