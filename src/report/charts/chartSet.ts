// The charts of one run, in the order the report shows them: one per preset (active first, then
// draining versions), claims, claim waits, the provisioner queue, the lock timeline and the cycle
// durations. Each has a stable id that names its files (`charts/<id>.svg`, `.png`) and its anchor.
import {
  CLAIM_WAITS_CHART_ID,
  CLAIMS_CHART_ID,
  CYCLES_CHART_ID,
  LOCK_CHART_ID,
  QUEUE_CHART_ID,
  type RunReportData,
} from "../runModel.ts";
import { claimsChart } from "./claimsChart.ts";
import { cycleChart } from "./cycleChart.ts";
import { lockChart } from "./lockChart.ts";
import { presetChart } from "./presetChart.ts";
import { queueChart } from "./queueChart.ts";
import type { HrefFor } from "./runMarkers.ts";
import { waitHistogram } from "./waitHistogram.ts";

export interface RenderedChart {
  id: string;
  title: string;
  /** one sentence under the chart, saying how to read it */
  caption: string;
  svg: string;
}

export function renderCharts(data: RunReportData, href: HrefFor): RenderedChart[] {
  const { start, end, digest, summary } = data;
  const charts: RenderedChart[] = data.presets.map((preset) => ({
    id: preset.chartId,
    caption: preset.active
      ? "Counts sampled from the database; shading shows running above desired (surplus) and below it (shortfall), the legend their prebuild-minutes; markers show operator actions, faults (replica faults included; grey: the fault had no effect), backoff, the hard limit and convergence."
      : "A version that is no longer active: its prebuilds should be deleted (drained) after it lost the active role.",
    ...presetChart({
      preset,
      start,
      end,
      operator: digest.operator,
      faults: digest.faults,
      violations: data.violations,
      href,
    }),
  }));
  charts.push({
    id: CLAIMS_CHART_ID,
    caption: "Claims per time bin: hits got a running prebuild, misses fell back to a regular build.",
    ...claimsChart({
      claims: digest.claims,
      counts: summary.claims,
      start,
      end,
      operator: digest.operator,
      faults: digest.faults,
    }),
  });
  charts.push({
    id: CLAIM_WAITS_CHART_ID,
    caption: "Time from claim to a ready workspace, for every claim whose workspace became ready.",
    ...waitHistogram({
      waits: digest.waits,
      p50: summary.claims.waitSeconds.p50,
      p95: summary.claims.waitSeconds.p95,
    }),
  });
  charts.push({
    id: QUEUE_CHART_ID,
    caption: "Pending provisioner jobs, split by who initiated them, and the jobs being executed.",
    ...queueChart({
      queue: data.queue,
      start,
      end,
      maxQueueDepth: summary.provisioner.maxQueueDepth,
      sampleEvery: data.sampleEvery,
      operator: digest.operator,
      faults: digest.faults,
    }),
  });
  charts.push({
    id: LOCK_CHART_ID,
    caption:
      "Lock holds and refusals per replica; red marks a cycle still running after its lock connection was lost.",
    ...lockChart({
      lock: data.lock,
      cycles: digest.cycles,
      start,
      end,
      faults: digest.faults,
      violations: data.violations,
      href,
    }),
  });
  charts.push({
    id: CYCLES_CHART_ID,
    caption: "Duration of every reconcile cycle, by replica; hollow points did not get the lock.",
    ...cycleChart({
      cycles: digest.cycles,
      replicas: data.lock.replicas,
      start,
      end,
      p50Seconds: summary.reconciler.durationSeconds.p50,
      maxSeconds: summary.reconciler.durationSeconds.max,
      violations: data.violations,
      href,
    }),
  });
  return charts;
}
