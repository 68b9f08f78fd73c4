// The sampled time series of a run (`timeseries.json` in a run directory): what the sampler read
// straight from the database and the kernel at every `sampleEvery`, for charts and liveness checks.
import type { Instant } from "../clock/types.ts";

/** One preset's counts at one sample instant (spec §2.15 definitions, read from the database). */
export interface PresetSample {
  t: Instant;
  desired: number;
  /** running prebuilds (latest build start+succeeded), expired included */
  running: number;
  eligible: number;
  starting: number;
  stopping: number;
  deleting: number;
  /** prebuild workspaces (not deleted) whose latest build failed */
  failed: number;
}

export interface PresetSeries {
  /** `template/version/preset` */
  key: string;
  template: string;
  version: string;
  preset: string;
  samples: PresetSample[];
}

export interface QueueSample {
  t: Instant;
  /** pending jobs initiated by the prebuilds user */
  prebuild: number;
  /** pending jobs initiated by people */
  human: number;
  /** jobs being executed by a daemon */
  running: number;
}

export interface LockSample {
  t: Instant;
  /** the replica whose connection holds the reconciliation lock, or null */
  holder: string | null;
}

export interface TimeSeries {
  sampleEvery: number;
  presets: PresetSeries[];
  queue: QueueSample[];
  lock: LockSample[];
}
