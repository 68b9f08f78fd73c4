// Messages between `explore` (and `sweep`) and their worker processes (node:child_process.fork,
// JSON over IPC).
import type { RunSummary } from "../check/summary.ts";
import type { RunMeasures } from "../sweep/measure.ts";
import type { SweepFocus } from "../sweep/plan.ts";
import type { FaultData } from "../world/faults/faultKind.ts";
import type { PerturbationPoint } from "../world/faults/perturbationPoint.ts";
import type { Landing } from "./perturb/landing.ts";

/** One perturbation of `explore --perturb`: the fault appended to the scenario, and where it should land. */
export interface PerturbationJob {
  number: number;
  point: PerturbationPoint;
  fault: FaultData;
}

export interface SeedJob {
  type: "run";
  /** How the scenario is named in problems and commands. */
  scenarioPath: string;
  /** The scenario file's text as read once by the parent. */
  scenarioText: string;
  seed: number;
  swarm: boolean;
  /** Write the run directory here when the seed fails, or always with `keepAll`. */
  runDir: string;
  keepAll: boolean;
  /** Render report.html, report.md and charts into a kept run directory (default true). */
  report?: boolean;
  /** `--force`: runDir may replace an output of another kind of this tool. */
  force?: boolean;
  databaseUrl: string | undefined;
  /** `explore --perturb`'s unperturbed run: also answer with the points a perturbation can land on. */
  recordPoints?: boolean;
  /** `explore --perturb`'s perturbed run: the scenario with this fault appended. */
  perturbation?: PerturbationJob;
}

export interface StopWorker {
  type: "stop";
}

/** One run of a `sweep` grid point: answered with the run's capacity measures, no files written. */
export interface SweepRunJob {
  type: "sweep";
  /** How the scenario is named in problems. */
  scenarioPath: string;
  /** The point's scenario: the file with the point's values set. */
  scenarioText: string;
  seed: number;
  /** The grid point, echoed in the answer. */
  point: number;
  focus: SweepFocus;
  databaseUrl: string | undefined;
}

export type ToWorker = SeedJob | SweepRunJob | StopWorker;

export interface SeedDone {
  type: "done";
  seed: number;
  summary: RunSummary;
  /** The run directory written, or null when the seed passed and was not kept. */
  dir: string | null;
  /** With `recordPoints`: where perturbations can land, in order. */
  points?: PerturbationPoint[];
  /** With `perturbation`: the job's perturbation and whether it landed. */
  perturbation?: PerturbationJob & { landing: Landing };
}

export interface SeedCrashed {
  type: "crashed";
  seed: number;
  /** One line per problem for bad input, else the error with its stack. */
  lines: string[];
  badInput: boolean;
}

export interface SweepRunDone {
  type: "swept";
  seed: number;
  point: number;
  measures: RunMeasures;
}

export type FromWorker = SeedDone | SweepRunDone | SeedCrashed;
