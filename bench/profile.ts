// The reference deployment of the e2e benchmark for a chosen number of virtual hours, through the
// whole `prebuildsim run` pipeline, printing wall and CPU seconds and the trace hash (a change
// meant to make runs faster must leave it alone). Run it under the profiler to see where the
// time goes:
//   node --import tsx bench/profile.ts 2
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts 24
import { scenarioFromText } from "../src/cli/scenarioInput.ts";
import { RealClock } from "../src/clock/real.ts";
import { openDriver } from "../src/db/backend.ts";
import { executeRun } from "../src/run/execute.ts";
import { referenceScenario } from "./e2e.bench.ts";

const hours = Number(process.argv[2] ?? "2");
if (!(Number.isInteger(hours) && hours > 0))
  throw new Error(`profile: hours must be a positive integer, got ${process.argv[2]}`);

const driver = await openDriver();
const wall = new RealClock();
const t0 = wall.now();
const cpu0 = process.cpuUsage();
const { summary } = await executeRun(
  scenarioFromText("bench profile", referenceScenario("bench-profile", `PT${hours}H`)),
  { seed: 1, driver },
);
const cpu = process.cpuUsage(cpu0);
console.log(
  `reference run, ${hours} h: ${((wall.now() - t0) / 1000).toFixed(2)} s wall, ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${summary.events} trace lines, ${summary.traceHash}`,
);
await driver.close();
