// A virtual timer: channel-style (`newTimer`) or callback-style (`afterFunc`). A non-positive
// duration fires in the current instant instead of being scheduled.
import { type ClockCore, checkWholeMs, tagList } from "./clock-core.ts";
import { ScheduledEvent } from "./event-heap.ts";
import { formatDuration } from "./format.ts";
import { OneSlotTickSource } from "./tick-source.ts";
import type { Duration, Timer } from "./types.ts";

export class VirtualTimer extends ScheduledEvent implements Timer {
  readonly c: OneSlotTickSource;
  #duration: Duration;

  constructor(
    private readonly core: ClockCore,
    d: Duration,
    private readonly tags: readonly string[],
    private readonly fn?: () => void | Promise<void>,
  ) {
    super();
    this.#duration = d;
    this.c = new OneSlotTickSource(core.host, this);
    this.#arm(d);
  }

  fire(): void {
    if (this.fn) this.core.fireCallback(this.describe(), this.fn);
    else this.c.offer(this.at);
  }

  stop(...tags: string[]): boolean {
    this.core.traps.refuse("timerStop", tags, {});
    return this.#stop();
  }

  stopAsync(...tags: string[]): Promise<boolean> {
    return this.core.traps.gate("timerStop", tags, {}, () => this.#stop());
  }

  reset(d: Duration, ...tags: string[]): boolean {
    checkWholeMs("Timer.reset", d);
    this.core.traps.refuse("timerReset", tags, { duration: d });
    return this.#reset(d);
  }

  resetAsync(d: Duration, ...tags: string[]): Promise<boolean> {
    checkWholeMs("Timer.resetAsync", d);
    return this.core.traps.gate("timerReset", tags, { duration: d }, () => this.#reset(d));
  }

  describe(): string {
    return `${this.fn ? "afterFunc" : "timer"}(${formatDuration(this.#duration)})${tagList(this.tags)}`;
  }

  #arm(d: Duration): void {
    this.#duration = d;
    if (d > 0) {
      this.core.schedule(this, this.core.time + d);
      return;
    }
    this.at = this.core.time;
    this.fire();
  }

  #stop(): boolean {
    const active = this.scheduled;
    this.core.unschedule(this);
    this.c.discard();
    return active;
  }

  #reset(d: Duration): boolean {
    const active = this.#stop();
    this.#arm(d);
    return active;
  }
}
