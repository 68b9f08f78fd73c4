// Kernel throughput: baton switches per second, virtual timer events per second, channel handoffs
// per second (each the median of several runs), and what the determinism guard costs PGlite.
// Target (issue 2): ≥ 200,000 switches and ≥ 200,000 timer events per second on a 2-core machine.
import { PGlite } from "@electric-sql/pglite";
import { DeterminismGuard } from "../src/kernel/guard.ts";
import { Channel, Kernel } from "../src/kernel/index.ts";
import type { BenchResult } from "./main.ts";

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Runs `once` RUNS times (after one warm-up) and returns the median of its per-second rates. */
async function medianRate(once: () => Promise<number>): Promise<number> {
  await once();
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) rates.push(await once());
  return median(rates);
}

async function switchesPerSecond(): Promise<number> {
  const kernel = new Kernel({ watchdog: false });
  for (let t = 0; t < 1000; t++) {
    kernel.spawn(`t${t}`, async () => {
      for (let i = 0; i < 200; i++) await kernel.yield();
    });
  }
  const start = performance.now();
  await kernel.run();
  return kernel.switches / ((performance.now() - start) / 1000);
}

async function timerEventsPerSecond(): Promise<number> {
  const kernel = new Kernel({ watchdog: false });
  // every sleep is one timer event; counting them through a trace sink would slow the kernel down
  const sleeps = 1000 * 200;
  for (let t = 0; t < 1000; t++) {
    kernel.spawn(`t${t}`, async () => {
      for (let i = 0; i < 200; i++) await kernel.clock.sleep(1 + ((t * 7919 + i * 104729) % 997));
    });
  }
  const start = performance.now();
  await kernel.run();
  return sleeps / ((performance.now() - start) / 1000);
}

async function channelHandoffsPerSecond(): Promise<number> {
  const kernel = new Kernel({ watchdog: false });
  const n = 100_000;
  const ch = new Channel<number>(kernel, "pipe");
  kernel.spawn("producer", async () => {
    for (let i = 0; i < n; i++) await ch.send(i);
  });
  kernel.spawn("consumer", async () => {
    for (let i = 0; i < n; i++) await ch.receive();
  });
  const start = performance.now();
  await kernel.run();
  return n / ((performance.now() - start) / 1000);
}

async function pgliteTransactionsPerSecond(db: PGlite, guarded: boolean): Promise<number> {
  const n = 1000;
  const guard = guarded ? DeterminismGuard.install({ mode: "report" }) : undefined;
  try {
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      await db.transaction(async (tx) => {
        await tx.query("insert into bench values ($1, 'x') on conflict (n) do update set v = 'y'", [i % 500]);
        await tx.query("select * from bench where n = $1", [i % 500]);
      });
    }
    return n / ((performance.now() - start) / 1000);
  } finally {
    guard?.uninstall();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [
    {
      name: "task switches per second",
      value: await medianRate(switchesPerSecond),
      unit: "/s",
      note: "1000 tasks × 200 yields",
    },
    {
      name: "timer events per second",
      value: await medianRate(timerEventsPerSecond),
      unit: "/s",
      note: "1000 tasks × 200 sleeps",
    },
    {
      name: "unbuffered channel handoffs per second",
      value: await medianRate(channelHandoffsPerSecond),
      unit: "/s",
    },
  ];
  const db = await PGlite.create();
  try {
    await db.exec("create table bench (n int primary key, v text)");
    // alternate the two so that load from elsewhere on the machine hits both alike
    await pgliteTransactionsPerSecond(db, false);
    const plainRates: number[] = [];
    const guardedRates: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      plainRates.push(await pgliteTransactionsPerSecond(db, false));
      guardedRates.push(await pgliteTransactionsPerSecond(db, true));
    }
    const plain = median(plainRates);
    const guarded = median(guardedRates);
    results.push(
      { name: "PGlite transactions per second, no guard", value: plain, unit: "/s", note: "upsert + select" },
      { name: "PGlite transactions per second, determinism guard on", value: guarded, unit: "/s" },
      {
        name: "determinism guard cost on PGlite transactions",
        value: (plain / guarded - 1) * 100,
        unit: "%",
      },
    );
  } finally {
    await db.close();
  }
  return results;
}
