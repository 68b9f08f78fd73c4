// A real-time watchdog for the one failure the kernel cannot see in virtual time: a task that holds
// the baton while it awaits something outside the kernel that never settles (a hung PGlite call, a
// forgotten park point). Virtual time stands still then, so only real time can notice. It checks
// periodically instead of arming a timer per switch, so a switch costs nothing. It may use host
// timers (it is exempt from the determinism rules), and its interval also keeps Node's event loop
// alive, so a hang is reported instead of Node exiting silently.

export interface WatchdogOptions {
  /** Real milliseconds a task may hold the baton without reaching a park point. */
  readonly stallAfterMs: number;
}

export const DEFAULT_STALL_AFTER_MS = 30_000;

export interface BatonHolder {
  readonly id: number;
  readonly name: string;
}

export interface BatonProbe {
  /** The task holding the baton, or null. */
  holder(): BatonHolder | null;
  /** How many times the baton has been handed over so far. */
  switches(): number;
}

export class Watchdog {
  #interval: ReturnType<typeof setInterval> | undefined;
  #lastSwitches = -1;
  #since = 0;

  constructor(
    private readonly options: WatchdogOptions,
    private readonly probe: BatonProbe,
    private readonly onStall: (holder: BatonHolder, stalledMs: number) => void,
  ) {
    if (!(options.stallAfterMs > 0))
      throw new RangeError(`watchdog: stallAfterMs must be positive, got ${options.stallAfterMs}`);
  }

  get running(): boolean {
    return this.#interval !== undefined;
  }

  start(): void {
    if (this.#interval) return;
    this.#lastSwitches = -1;
    const every = Math.max(1, Math.min(1000, Math.floor(this.options.stallAfterMs / 4)));
    this.#interval = setInterval(this.#check, every);
  }

  stop(): void {
    clearInterval(this.#interval);
    this.#interval = undefined;
  }

  readonly #check = (): void => {
    const holder = this.probe.holder();
    const switches = this.probe.switches();
    const now = performance.now();
    if (!holder || switches !== this.#lastSwitches) {
      this.#lastSwitches = switches;
      this.#since = now;
      return;
    }
    const stalled = now - this.#since;
    if (stalled >= this.options.stallAfterMs) {
      this.stop();
      this.onStall(holder, stalled);
    }
  };
}
