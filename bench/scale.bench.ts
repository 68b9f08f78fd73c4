// Issue #19's scaling series, each point in a fresh process (bench/measure/points.ts): presets
// 100 / 400 / 1,000 × 5 (10 to a template), one replica, presets/4 daemons, one virtual hour (pools
// filled and steady; target for 1,000: ≤ 45 s and ≤ 6× the 100-preset run); and the backlog series,
// the same builds through 50 daemons for 30 virtual minutes (cost should stay linear in builds).
// Minutes of wall time, so only when named: `npm run bench scale`. BENCH_SCALE_POINTS picks points
// (e.g. `BENCH_SCALE_POINTS=presets-100,backlog-100`).
import type { BenchResult } from "./main.ts";
import { measurePoint } from "./measure/inChild.ts";
import { SCALING_PRESETS } from "./measure/points.ts";

export const onlyWhenNamed = true;

export async function run(): Promise<BenchResult[]> {
  const all = [...SCALING_PRESETS.map((n) => `presets-${n}`), ...SCALING_PRESETS.map((n) => `backlog-${n}`)];
  const picked = process.env.BENCH_SCALE_POINTS?.split(",").filter((p) => p !== "") ?? all;
  const out: BenchResult[] = [];
  const wall = new Map<string, number>();
  for (const point of picked) {
    const { result, lines } = await measurePoint(point);
    wall.set(point, result.wallSeconds);
    out.push(...lines);
  }
  // How cost grows with the work (5,000 builds are 10× 500): 1,000 presets against 100.
  for (const series of ["presets", "backlog"]) {
    const small = wall.get(`${series}-100`);
    const large = wall.get(`${series}-1000`);
    if (small !== undefined && large !== undefined)
      out.push({ name: `${series}: wall of 1,000 presets / wall of 100`, value: large / small, unit: "×" });
  }
  return out;
}
