// An `explore` (or `sweep`) worker process: one database driver (PGlite costs seconds and hundreds
// of MB to open, so it is opened once and reset between seeds), then seed after seed as the parent
// sends them, each answered with its summary (explore) or its capacity measures (sweep).
import { openDriver } from "../db/backend.ts";
import type { SqlDriver } from "../db/driver.ts";
import { executeRun } from "../run/execute.ts";
import { InputError } from "../run/inputError.ts";
import { writeRunDirectory } from "../run/runDirectory.ts";
import { ScenarioError } from "../scenario/problem.ts";
import { measureRun } from "../sweep/measure.ts";
import type { FromWorker, SeedDone, SeedJob, SweepRunJob, ToWorker } from "./exploreProtocol.ts";
import { landingOf } from "./perturb/landing.ts";
import { recordedPoints } from "./perturb/points.ts";
import { perturbedScenarioText } from "./perturb/scenarioText.ts";
import { scenarioFromText } from "./scenarioInput.ts";
import { swarmScenarioText } from "./swarm.ts";

let driver: Promise<SqlDriver> | undefined;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

async function runSweepRun(job: SweepRunJob, db: SqlDriver): Promise<FromWorker> {
  const input = scenarioFromText(job.scenarioPath, job.scenarioText);
  const files = await executeRun(input, { seed: job.seed, driver: db, judgeReach: false });
  return { type: "swept", seed: job.seed, point: job.point, measures: measureRun(files, job.focus) };
}

async function runSeed(job: SeedJob | SweepRunJob): Promise<FromWorker> {
  try {
    driver ??= openDriver(job.databaseUrl);
    if (job.type === "sweep") return await runSweepRun(job, await driver);
    const explored = job.swarm ? swarmScenarioText(job.scenarioText, job.seed) : job.scenarioText;
    const perturbed =
      job.perturbation === undefined
        ? null
        : perturbedScenarioText(explored, job.perturbation.fault, job.perturbation.point);
    const input = scenarioFromText(job.scenarioPath, perturbed?.text ?? explored);
    const files = await executeRun(input, {
      seed: job.seed,
      driver: await driver,
      judgeReach: false,
      recordCycles: job.recordPoints === true,
    });
    const keep = job.keepAll || !files.summary.ok;
    if (keep)
      await writeRunDirectory(job.runDir, files, {
        report: job.report ?? true,
        output: { force: job.force === true },
      });
    const done: SeedDone = {
      type: "done",
      seed: job.seed,
      summary: files.summary,
      dir: keep ? job.runDir : null,
    };
    if (files.cycles !== null) done.points = recordedPoints(files.cycles, files.traceText);
    if (job.perturbation !== undefined && perturbed !== null)
      done.perturbation = {
        ...job.perturbation,
        landing: landingOf(files.traceText, perturbed.index, job.perturbation.point),
      };
    return done;
  } catch (error) {
    if (error instanceof ScenarioError)
      return { type: "crashed", seed: job.seed, badInput: true, lines: error.problems.map(String) };
    if (error instanceof InputError)
      return { type: "crashed", seed: job.seed, badInput: true, lines: [...error.lines] };
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { type: "crashed", seed: job.seed, badInput: false, lines: [detail] };
  }
}

// Seeds are handled one at a time, in the order they arrive.
let queue: Promise<void> = Promise.resolve();
process.on("message", (message: ToWorker) => {
  queue = queue.then(async () => {
    if (message.type === "stop") {
      await (await driver)?.close();
      process.disconnect();
      return;
    }
    await send(await runSeed(message));
  });
});
