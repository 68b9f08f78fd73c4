// Messages between `explore` and its worker processes (node:child_process.fork, JSON over IPC).
import type { RunSummary } from "../check/summary.ts";

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
  databaseUrl: string | undefined;
}

export interface StopWorker {
  type: "stop";
}

export type ToWorker = SeedJob | StopWorker;

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

export type FromWorker = SeedDone | SeedCrashed;
