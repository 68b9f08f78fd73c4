// Messages between `explore` (and `sweep`) and their worker processes (node:child_process.fork,
// JSON over IPC).
import type { RunSummary } from "../check/summary.ts";
import type { RunMeasures } from "../sweep/measure.ts";
import type { SweepFocus } from "../sweep/plan.ts";

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
