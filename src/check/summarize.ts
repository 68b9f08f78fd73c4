// Builds summary.json (SCENARIOS.md §4) from what the checks saw: the verdict, the trace's numbers
// and the database at the end. Every field except `wallSeconds` is a function of the run alone.
import packageJson from "../../package.json" with { type: "json" };
import type { Scenario } from "../scenario/scenario.ts";
import type { PresetSample } from "../trace/timeseries.ts";
import type { EndState } from "./endState.ts";
import { isoInstant } from "./invariant.ts";
import { provisioningOf } from "./provisioning.ts";
import type { CheckOutcome } from "./runChecker.ts";
import type { RunModel } from "./runModel.ts";
import { percentile, type RunStatistics } from "./statistics.ts";
import type { PresetSummary, RunSummary } from "./summary.ts";

/** `prebuildsim <version>`, as the summary and `--version` print it. */
export const PRODUCT_VERSION = `prebuildsim ${packageJson.version}`;

export interface SummaryInputs {
  scenario: Scenario;
  seed: number;
  traceHash: string;
  /** Lines in trace.jsonl. */
  events: number;
  wallSeconds: number;
  outcome: CheckOutcome;
  statistics: RunStatistics;
  model: RunModel;
  end: EndState;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function lastSample(samples: readonly PresetSample[] | undefined): PresetSample | undefined {
  return samples === undefined ? undefined : samples[samples.length - 1];
}

/**
 * Per preset version: `created`, `failed` and `claimed` count prebuilt workspaces by their creation
 * build as GetPrebuildMetrics does (spec §2.9), kept apart per version (upstream's counters add
 * the versions of a template's preset together).
 */
function presetSummaries(inputs: SummaryInputs): PresetSummary[] {
  const counts = new Map<string, { created: number; failed: number; claimed: number }>();
  for (const ws of inputs.model.workspaces()) {
    const first = ws.builds[0];
    if (!ws.prebuild || first?.preset == null) continue;
    const c = counts.get(first.preset) ?? { created: 0, failed: 0, claimed: 0 };
    c.created++;
    if (first.job.state === "failed") c.failed++;
    if (ws.claimedLine !== undefined) c.claimed++;
    counts.set(first.preset, c);
  }
  return inputs.end.presets.map((p) => {
    const samples = inputs.end.timeseries.presets.find((s) => s.key === p.key)?.samples;
    const sample = lastSample(samples);
    const c = counts.get(p.key) ?? { created: 0, failed: 0, claimed: 0 };
    const convergedAt = inputs.outcome.convergedAt.get(p.key);
    return {
      template: p.template,
      version: p.version,
      preset: p.preset,
      active: p.active,
      desired: sample?.desired ?? 0,
      running: sample?.running ?? 0,
      eligible: sample?.eligible ?? 0,
      starting: sample?.starting ?? 0,
      failedWorkspaces: sample?.failed ?? 0,
      created: c.created,
      failed: c.failed,
      claimed: c.claimed,
      convergedAt: convergedAt == null ? null : isoInstant(convergedAt),
      status: p.status,
      claims: { ...(inputs.statistics.claimsByPreset.get(p.key) ?? { total: 0, hits: 0, misses: 0 }) },
      ...provisioningOf(samples ?? [], inputs.end.end),
    };
  });
}

export function summarize(inputs: SummaryInputs): RunSummary {
  const { scenario, statistics: st } = inputs;
  const start = scenario.start;
  const end = inputs.end.end;
  return {
    scenario: scenario.name,
    seed: inputs.seed,
    version: PRODUCT_VERSION,
    traceHash: inputs.traceHash,
    events: inputs.events,
    start: isoInstant(start),
    end: isoInstant(end),
    simulatedSeconds: (end - start) / 1000,
    wallSeconds: round(inputs.wallSeconds, 2),
    ok: inputs.outcome.violations.length === 0,
    violations: inputs.outcome.violations,
    allowed: inputs.outcome.allowed,
    warnings: inputs.outcome.warnings,
    presets: presetSummaries(inputs),
    claims: {
      ...st.claims,
      hitRate: st.claims.total === 0 ? 0 : round(st.claims.hits / st.claims.total, 4),
      waitSeconds: {
        p50: percentile(st.waitsMs, 0.5) / 1000,
        p95: percentile(st.waitsMs, 0.95) / 1000,
        max: percentile(st.waitsMs, 1) / 1000,
      },
    },
    reconciler: {
      cycles: st.cycles,
      lockAcquired: st.lockAcquired,
      lockSkipped: st.cycles - st.lockAcquired,
      durationSeconds: {
        p50: percentile(st.cycleDurationsMs, 0.5) / 1000,
        max: percentile(st.cycleDurationsMs, 1) / 1000,
      },
    },
    provisioner: {
      jobs: st.jobs,
      maxQueueDepth: st.maxQueueDepth,
      busyFraction: round(st.busyFraction(scenario.provisioners.daemons, start, end), 4),
    },
    probes: inputs.outcome.probes,
    faults: inputs.outcome.faults,
  };
}
