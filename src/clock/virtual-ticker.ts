// A virtual channel-style ticker. Each tick carries the instant it was due; the next one is
// scheduled a period later (as a new schedule, so it gets a fresh sequence number).
import { type ClockCore, checkPeriod, tagList } from "./clock-core.ts";
import { ScheduledEvent } from "./event-heap.ts";
import { formatDuration } from "./format.ts";
import { OneSlotTickSource } from "./tick-source.ts";
import type { Duration, Ticker } from "./types.ts";

export class VirtualTicker extends ScheduledEvent implements Ticker {
  readonly c: OneSlotTickSource;
  #period: Duration;

  constructor(
    private readonly core: ClockCore,
    d: Duration,
    private readonly tags: readonly string[],
  ) {
    super();
    this.#period = d;
    this.c = new OneSlotTickSource(core.host, this);
    core.schedule(this, core.time + d);
  }

  fire(): void {
    this.c.offer(this.at);
    this.core.schedule(this, this.at + this.#period);
  }

  stop(...tags: string[]): void {
    this.core.traps.refuse("tickerStop", tags, {});
    this.#stop();
  }

  stopAsync(...tags: string[]): Promise<void> {
    return this.core.traps.gate("tickerStop", tags, {}, () => this.#stop());
  }

  reset(d: Duration, ...tags: string[]): void {
    checkPeriod("Ticker.reset", d);
    this.core.traps.refuse("tickerReset", tags, { duration: d });
    this.#reset(d);
  }

  resetAsync(d: Duration, ...tags: string[]): Promise<void> {
    checkPeriod("Ticker.resetAsync", d);
    return this.core.traps.gate("tickerReset", tags, { duration: d }, () => this.#reset(d));
  }

  describe(): string {
    return `ticker(${formatDuration(this.#period)})${tagList(this.tags)}`;
  }

  #stop(): void {
    this.core.unschedule(this);
    this.c.discard();
  }

  #reset(d: Duration): void {
    this.#stop();
    this.#period = d;
    this.core.schedule(this, this.core.time + d);
  }
}
