// One benchmark deployment (bench/measure/points.ts) through the whole `prebuildsim run` pipeline
// in this process, on a fresh PGlite; prints one JSON line (PointResult) that bench/measure/inChild.ts
// reads. `--no-split` leaves the in-process CPU profile off (for `node --cpu-prof`, or plain timing).
import { scenarioFromText } from "../../src/cli/scenarioInput.ts";
import { RealClock } from "../../src/clock/real.ts";
import { openDriver } from "../../src/db/backend.ts";
import { executeRun } from "../../src/run/execute.ts";
import { referenceScenario } from "../e2e.bench.ts";
import { startCpuSplit } from "./cpuSplit.ts";
import { type PointResult, RESULT_PREFIX } from "./pointResult.ts";
import { POINTS } from "./points.ts";

const name = process.argv[2] ?? "";
const point = POINTS[name];
if (point === undefined) {
  console.error(`runPoint: unknown point ${JSON.stringify(name)}; known: ${Object.keys(POINTS).join(", ")}`);
  process.exit(2);
}
const withSplit = !process.argv.includes("--no-split");

const source = scenarioFromText(
  `bench ${name}`,
  referenceScenario(`bench-${name}`, point.duration, point.shape),
);
const driver = await openDriver();
const stopSplit = withSplit ? await startCpuSplit() : undefined;
const wall = new RealClock();
const t0 = wall.now();
const cpu0 = process.cpuUsage();
const { summary } = await executeRun(source, { seed: 1, driver });
const cpu = process.cpuUsage(cpu0);
const wallSeconds = (wall.now() - t0) / 1000;
const split = stopSplit === undefined ? null : await stopSplit();
await driver.close();
const result: PointResult = {
  point: name,
  wallSeconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  simulatedSeconds: summary.simulatedSeconds,
  events: summary.events,
  ok: summary.ok,
  traceHash: summary.traceHash,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  split,
};
console.log(RESULT_PREFIX + JSON.stringify(result));
