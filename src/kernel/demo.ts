// A small, real kernel demo: replicas contend on one mutex, each driven by a one-minute ticker, for
// one virtual hour; the summary and the trace hash are a pure function of the seed and policy.
// Run it with `node --import tsx src/kernel/demo.ts [seed] [fifo|random]`.
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { formatDuration, formatInstant } from "../clock/format.ts";
import { type Duration, HOUR, type Instant, MINUTE, SECOND } from "../clock/types.ts";
import { Context } from "./context.ts";
import { Kernel, type SchedulingPolicy } from "./kernel.ts";
import { Mutex } from "./mutex.ts";
import { sampleDuration } from "./rng.ts";
import { select } from "./select.ts";

export interface DemoOptions {
  seed: number;
  policy?: SchedulingPolicy;
  replicas?: number;
  duration?: Duration;
}

export interface ReplicaSummary {
  readonly name: string;
  /** Cycles run while holding the mutex. */
  readonly cycles: number;
  readonly lockHeld: Duration;
  /** Total time spent waiting for the mutex. */
  readonly waited: Duration;
}

export interface DemoSummary {
  readonly seed: number;
  readonly policy: SchedulingPolicy;
  readonly end: Instant;
  readonly replicas: readonly ReplicaSummary[];
  readonly events: number;
  readonly switches: number;
  readonly traceHash: string;
}

export async function runKernelDemo(options: DemoOptions): Promise<DemoSummary> {
  const { seed, policy = "random", replicas = 3, duration = HOUR } = options;
  const kernel = new Kernel({ seed, policy });
  const hash = createHash("sha256");
  let events = 0;
  kernel.onEvent((e) => {
    events++;
    hash.update(`${JSON.stringify(e)}\n`);
  });
  const lock = new Mutex(kernel, "reconciliation lock");
  const { ctx, cancel } = Context.background(kernel).withCancel("demo");
  const summaries: ReplicaSummary[] = [];

  for (let i = 0; i < replicas; i++) {
    const name = `replica-${i}`;
    kernel.spawn(name, async () => {
      const rng = kernel.rng.stream(name);
      let cycles = 0;
      let lockHeld = 0;
      let waited = 0;
      await kernel.clock.sleep(i * 7 * SECOND, name, "start");
      const ticker = await kernel.clock.newTickerAsync(MINUTE, name, "tick");
      for (;;) {
        await select(kernel, ctx, ticker.c);
        if (ctx.canceled) break;
        const asked = kernel.now;
        await lock.lock();
        waited += kernel.now - asked;
        const hold = sampleDuration(rng, { median: 20 * SECOND, p90: 50 * SECOND });
        await kernel.clock.sleep(hold, name, "cycle");
        lockHeld += hold;
        cycles++;
        lock.unlock();
      }
      ticker.stop();
      summaries.push({ name, cycles, lockHeld, waited });
    });
  }

  await kernel.run({ until: kernel.now + duration });
  const end = kernel.now;
  // let every replica finish its cycle and see the cancellation
  cancel();
  await kernel.run();
  return {
    seed,
    policy,
    end,
    replicas: summaries.sort((a, b) => a.name.localeCompare(b.name)),
    events,
    switches: kernel.switches,
    traceHash: `sha256:${hash.digest("hex")}`,
  };
}

export function formatDemoSummary(s: DemoSummary): string {
  const lines = [
    `kernel demo: ${s.replicas.length} replicas contend on one mutex, one-minute tickers, until ${formatInstant(s.end)} ` +
      `(seed ${s.seed}, ${s.policy} policy)`,
    ...s.replicas.map(
      (r) =>
        `  ${r.name.padEnd(10)} cycles ${String(r.cycles).padStart(3)}  lock held ${formatDuration(r.lockHeld).padStart(9)}` +
        `  waited ${formatDuration(r.waited).padStart(9)}`,
    ),
    `  ${s.events} kernel events, ${s.switches} switches`,
    `  trace ${s.traceHash}`,
  ];
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seed = Number(process.argv[2] ?? 7);
  const policy = (process.argv[3] ?? "random") as SchedulingPolicy;
  process.stdout.write(formatDemoSummary(await runKernelDemo({ seed, policy })));
}
