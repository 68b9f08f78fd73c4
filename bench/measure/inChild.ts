// Runs one benchmark point in a fresh node process (bench/measure/runPoint.ts), so its peak memory
// and CPU profile are its own, and turns the answer into the benchmark's lines.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "../main.ts";
import { pgliteShare } from "./cpuSplit.ts";
import { type PointResult, RESULT_PREFIX } from "./pointResult.ts";
import { POINTS } from "./points.ts";

const RUN_POINT = fileURLToPath(new URL("./runPoint.ts", import.meta.url));

export function runPointInChild(point: string): Promise<PointResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), RUN_POINT, point],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
        if (error !== null || line === undefined) {
          reject(new Error(`bench point ${point} failed: ${error?.message ?? "no result line"}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as PointResult);
      },
    );
  });
}

const percent = (x: number): string => `${(100 * x).toFixed(0)}%`;

/** The harness's largest groups, e.g. "src/check 9%, src/db 8%, …". */
function harnessGroups(split: Record<string, number>): string {
  const total = Object.values(split).reduce((a, b) => a + b, 0);
  return Object.entries(split)
    .filter(([g]) => g !== "pglite-js" && g !== "pglite-wasm")
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([g, ms]) => `${g} ${percent(ms / total)}`)
    .join(", ");
}

/** Wall, simulated seconds per wall second, CPU and its split, peak RSS: one point's lines. */
export async function measurePoint(point: string): Promise<{ result: PointResult; lines: BenchResult[] }> {
  const r = await runPointInChild(point);
  const label = POINTS[point]!.describe;
  const out: BenchResult[] = [
    {
      name: `${point}: wall`,
      value: r.wallSeconds,
      unit: "s",
      note: `${label}; ${r.events} trace lines, ${r.ok ? "ok" : "violations"}, ${r.traceHash.slice(0, 19)}…`,
    },
    {
      name: `${point}: simulated seconds per wall second`,
      value: r.simulatedSeconds / r.wallSeconds,
      unit: "×",
    },
    { name: `${point}: CPU (user + system)`, value: r.cpuSeconds, unit: "s" },
  ];
  if (r.split !== null) {
    out.push({
      name: `${point}: PGlite's share of CPU samples`,
      value: 100 * pgliteShare(r.split),
      unit: "%",
      note: `WASM ${percent((r.split["pglite-wasm"] ?? 0) / total(r.split))}; the rest: ${harnessGroups(r.split)}`,
    });
  }
  out.push({ name: `${point}: peak RSS (maxRSS)`, value: r.maxRssMiB, unit: "MiB" });
  return { result: r, lines: out };
}

function total(split: Record<string, number>): number {
  return Object.values(split).reduce((a, b) => a + b, 0);
}
