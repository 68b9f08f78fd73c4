// What bench/measure/runPoint.ts answers on its one result line.
import type { CpuSplit } from "./cpuSplit.ts";

export interface PointResult {
  point: string;
  wallSeconds: number;
  cpuSeconds: number;
  simulatedSeconds: number;
  events: number;
  ok: boolean;
  traceHash: string;
  /** RSS high-water of this process (a fresh one per point), MiB. */
  maxRssMiB: number;
  split: CpuSplit | null;
}

export const RESULT_PREFIX = "POINT-RESULT ";
