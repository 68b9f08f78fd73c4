// How long before the demand a raised pool must be asked for: a prebuild requested at a reconcile
// tick is ready after its build and its agent's start, and the request itself waits on average half
// a reconciliation interval for the next tick (the same lead time as the Erlang check's, README
// "Validation against queueing theory"). The schedule advice takes the build's and the agent's 90th
// percentile from the swept preset's own distributions when it has them (as the fake provisioner
// draws its builds), else the provisioners', so nine raises in ten are ready in time, and rounds
// the sum up to whole hours, the granularity of the hour-range crons it writes.
import { formatDuration } from "../clock/format.ts";
import { HOUR } from "../clock/types.ts";
import type { DurationDistribution } from "../kernel/rng.ts";
import type { Preset, Scenario } from "../scenario/scenario.ts";

/** The quantile the lead time takes of each duration distribution. */
export const LEAD_TIME_QUANTILE = 0.9;

/** The 90th percentile of a duration distribution as scenarios write it. */
export function p90(d: DurationDistribution): number {
  if ("fixed" in d) return d.fixed;
  if ("uniform" in d) return d.uniform[0] + LEAD_TIME_QUANTILE * (d.uniform[1] - d.uniform[0]);
  return d.p90;
}

export interface LeadTime {
  /** p90 build time, in ms */
  build: number;
  /** p90 agent ready time after the build, in ms */
  agentReady: number;
  /** half the reconciliation interval, in ms */
  halfInterval: number;
  /** the sum */
  total: number;
  /** the sum rounded up to whole hours (0 only for a zero lead time) */
  hours: number;
  /** `p90 build 4m + p90 agent ready 20s + half the reconciliation interval 15s = 4m35s` */
  text: string;
}

/** The lead time of `preset`'s prebuilds (its own build and agent times first), or of any preset's. */
export function leadTime(scenario: Scenario, preset?: Preset): LeadTime {
  const build = p90(preset?.buildTime ?? scenario.provisioners.buildTime);
  const agentReady = p90(preset?.agentReadyAfter ?? scenario.provisioners.agentReadyAfter);
  const halfInterval = scenario.settings.reconciliationInterval / 2;
  const total = build + agentReady + halfInterval;
  return {
    build,
    agentReady,
    halfInterval,
    total,
    hours: Math.ceil(total / HOUR),
    text: `p90 build ${formatDuration(Math.round(build))} + p90 agent ready ${formatDuration(Math.round(agentReady))} + half the reconciliation interval ${formatDuration(Math.round(halfInterval))} = ${formatDuration(Math.round(total))}`,
  };
}
