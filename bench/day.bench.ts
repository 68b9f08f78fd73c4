// The claim-heavy day of issue #19 — the reference deployment (bench/e2e.bench.ts) with three times
// its claims (6/h per preset) and 10 daemons, 24 virtual hours; target ≤ 30 s — in a fresh process,
// with wall time, simulated seconds per wall second, CPU and its split (PGlite vs the rest) and
// peak memory. `npm run bench day`.
import type { BenchResult } from "./main.ts";
import { measurePoint } from "./measure/inChild.ts";

export async function run(): Promise<BenchResult[]> {
  return (await measurePoint("claim-day")).lines;
}
