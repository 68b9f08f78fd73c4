// A recommended prebuild schedule for a preset whose claims follow a diurnal shape: for every local
// hour, the smallest swept `desiredInstances` whose hit rate *in that hour* meets the target (the
// claims of each point bucketed by the local hour they were answered in), then adjacent hours with
// the same count merged into time-range cron blocks (spec §3.5.2), the most common count as the
// preset's `desiredInstances`, and the result validated as the Terraform provider validates it
// (which the reconciler's own check then also passes).
// Its idle cost adds, hour by hour, the mean idle pool the runs at the chosen count had in that
// local hour; an hour no run covered counts as a full idle pool. The constant recommendation's cost
// is counted the same way beside it.
//
// Each hour is judged from runs with a constant pool, which is full when the hour begins. A
// scheduled pool is not: it must be asked for one lead time before the demand it serves, so every
// hour's count is raised to the largest count of the hours its lead time reaches into (`leadTime.ts`;
// whole hours, the crons' granularity). Before that, a thin hour — claims too few for the bound to
// reach the target, chosen by its point estimate — is raised to its adjacent firm hours' counts:
// its own estimate says next to nothing (a 0% lower bound), the firm hours next to it are the best
// evidence of the demand around it, and a pool drained at 08:59 is what 09:00 starts with. Without
// both, a quiet hour before a rush dropped the pool right before it (issue 17, part 6).
// The advice is then simulated (`simulateAdvice.ts`): its hit rate per hour, beside the constant
// recommendation's, is what the output shows. When the preset's claims have a weekend shape, the
// hours above are the weekdays' and the weekend gets hours of its own (`weekendHours.ts`).
import { terraformSchedulingProblems } from "../prebuilds/presetSchedulingValidation.ts";
import { formatPresetRef } from "../scenario/presetRef.ts";
import type { PresetRef } from "../scenario/scenario.ts";
import type { HitRateEstimate } from "./confidence.ts";
import { type LeadTime, leadTime } from "./leadTime.ts";
import type { RunMeasures } from "./measure.ts";
import type { SweepPlan } from "./plan.ts";
import type { PointStats } from "./pointStats.ts";
import type { Recommendation } from "./recommend.ts";
import { WEEKDAYS, WEEKEND_DAYS, weekendPicks, weeklyClaimRates } from "./weekendHours.ts";

/** Why an hour got its count. */
export type HourBasis =
  /** the smallest count whose lower confidence bound meets the target */
  | "met"
  /** no count's bound does (too few claims in the hour); the smallest whose point estimate does */
  | "point-estimate"
  /** no count reaches the target at all: the largest swept */
  | "not-met"
  /** nobody claims in this hour: the smallest swept */
  | "no-claims";

/** Why an hour's count is above what its own claims asked for. */
export type HourRaise =
  /** a thin hour raised to an adjacent firm hour's count */
  | "thin-hour"
  /** raised ahead of a later hour's demand, one lead time before it */
  | "lead-time";

/** An hour whose count its own claims cannot firm up: its lower bound does not reach the target. */
export function isThin(basis: HourBasis): boolean {
  return basis === "point-estimate";
}

/** An hour whose count its claims settle: the bound meets the target, or nothing swept reaches it. */
function isFirm(basis: HourBasis): boolean {
  return basis === "met" || basis === "not-met";
}

export interface HourChoice {
  hour: number;
  /** the scheduled count: `required` raised for a thin hour and for the lead time */
  instances: number;
  /** the count this hour's own claims asked for (the smallest meeting the target per `basis`) */
  required: number;
  /** why `instances` exceeds `required` (the last rule that raised it); null when it does not */
  raisedBy: HourRaise | null;
  basis: HourBasis;
  /** the required count's hit rate in this hour (pooled over seeds) and its lower bound; null without claims */
  hitRate: number | null;
  lowerBound: number | null;
  claims: number;
  /** the mean idle pool in this hour at the chosen count */
  idlePrebuilds: number;
  /** no run covered this hour: `idlePrebuilds` assumes the whole pool idle */
  idleAssumed: boolean;
}

export interface ScheduleBlock {
  /** `* H1-H2 * * *`; with a weekend, `* H1-H2 * * 1-5` or `* H1-H2 * * 0,6` */
  cron: string;
  instances: number;
}

/** The advice run as a scenario: the preset with the schedule, the sweep's seeds. */
export interface SimulatedAdvice {
  /** the scenario that ran (the recommendation's line with the advice pasted in) */
  scenarioText: string;
  runs: RunMeasures[];
  stats: PointStats;
}

export type ScheduleAdvice =
  | {
      kind: "schedule";
      preset: PresetRef;
      timezone: string;
      /** the line of the grid it was computed on (empty with one --vary) */
      line: string;
      hours: HourChoice[];
      desiredInstances: number;
      schedules: ScheduleBlock[];
      /** what the scheduled pool leaves idle per day */
      idlePrebuildHoursPerDay: number;
      /** the constant recommendation's idle cost counted the same way, hour by hour; null without one */
      constant: { instances: number; idlePrebuildHoursPerDay: number } | null;
      /** ready to paste into the preset */
      yaml: string;
      /** how far ahead of its demand each raise is scheduled */
      leadTime: LeadTime;
      /** hours whose own claims were too few for the bound to reach the target */
      thinHours: number[];
      /** the advice simulated with the sweep's seeds; null until it has run (or when nothing ran it) */
      simulated: SimulatedAdvice | null;
      /**
       * Saturday and Sunday, when the preset's claims have a weekend shape (`hours` are then the
       * weekdays'); null without one. Their hours have no hit rates of their own.
       */
      weekend: WeekendAdvice | null;
    }
  | { kind: "none"; reason: string };

export interface WeekendAdvice {
  /** each weekend hour; `like` is the weekday hour whose count it took (null: none fits) */
  hours: (HourChoice & { like: number | null })[];
  /** what the scheduled pool leaves idle on a weekend day */
  idlePrebuildHoursPerDay: number;
}

const DESIRED = "desiredInstances";

function hourCron(from: number, to: number, days: string): string {
  return from === to ? `* ${from} * * ${days}` : `* ${from}-${to} * * ${days}`;
}

/** Merges runs of equal counts; hours at `base` need no block. `days`: the day-of-week field. */
export function scheduleBlocks(perHour: readonly number[], base: number, days = "*"): ScheduleBlock[] {
  const blocks: ScheduleBlock[] = [];
  let from = 0;
  for (let hour = 1; hour <= perHour.length; hour++) {
    if (hour < perHour.length && perHour[hour] === perHour[from]) continue;
    const instances = perHour[from] as number;
    if (instances !== base) blocks.push({ cron: hourCron(from, hour - 1, days), instances });
    from = hour;
  }
  return blocks;
}

/** The count most hours want (the smaller one on a tie): it needs no schedule. */
export function mostCommon(perHour: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const n of perHour) counts.set(n, (counts.get(n) ?? 0) + 1);
  let best = perHour[0] ?? 0;
  for (const [n, c] of counts) {
    const bestCount = counts.get(best) ?? 0;
    if (c > bestCount || (c === bestCount && n < best)) best = n;
  }
  return best;
}

export function scheduleYaml(
  timezone: string,
  desiredInstances: number,
  blocks: readonly ScheduleBlock[],
): string {
  const lines = [`${DESIRED}: ${desiredInstances}`];
  if (blocks.length > 0) {
    lines.push("scheduling:", `  timezone: ${timezone}`, "  schedules:");
    for (const b of blocks) lines.push(`    - {cron: "${b.cron}", instances: ${b.instances}}`);
  }
  return `${lines.join("\n")}\n`;
}

export type HourPick = Omit<HourChoice, "idlePrebuilds" | "idleAssumed" | "required" | "raisedBy">;

/** Picks one hour's count from the hour's estimates at each swept count (ascending). */
export function chooseHour(
  hour: number,
  candidates: readonly { instances: number; estimate: HitRateEstimate | null }[],
  target: number,
): HourPick {
  const choice = (c: (typeof candidates)[number], basis: HourBasis): HourPick => ({
    hour,
    instances: c.instances,
    basis,
    hitRate: c.estimate?.pooled ?? null,
    lowerBound: c.estimate?.lowerBound ?? null,
    claims: c.estimate?.claims ?? 0,
  });
  const smallest = candidates[0];
  const largest = candidates[candidates.length - 1];
  if (smallest === undefined || largest === undefined) throw new Error("sweep schedule: no swept counts");
  const withClaims = candidates.filter((c) => c.estimate !== null);
  if (withClaims.length === 0) return choice(smallest, "no-claims");
  const met = withClaims.find((c) => (c.estimate as HitRateEstimate).lowerBound >= target);
  if (met !== undefined) return choice(met, "met");
  const point = withClaims.find((c) => (c.estimate as HitRateEstimate).pooled >= target);
  if (point !== undefined) return choice(point, "point-estimate");
  return choice(largest, "not-met");
}

/**
 * Each hour's scheduled count from the counts its own claims asked for (hours 0–23, in order): a
 * thin hour is raised to the largest count of its adjacent firm hours (as they asked, so raises do
 * not spread), then every hour to the largest count of the `leadHours` hours after it (around
 * midnight too: the crons repeat daily).
 */
export function shapeHours(
  asked: readonly { required: number; basis: HourBasis }[],
  leadHours: number,
): { instances: number; raisedBy: HourRaise | null }[] {
  const n = asked.length;
  const at = (h: number) => asked[((h % n) + n) % n] as { required: number; basis: HourBasis };
  const smoothed = asked.map((a, h) => {
    if (!isThin(a.basis)) return a.required;
    const firm = [at(h - 1), at(h + 1)].filter((b) => isFirm(b.basis)).map((b) => b.required);
    return Math.max(a.required, ...firm);
  });
  const reach = Math.min(Math.max(0, leadHours), n - 1);
  return smoothed.map((own, h) => {
    let instances = own;
    for (let k = 1; k <= reach; k++) instances = Math.max(instances, smoothed[(h + k) % n] as number);
    const required = at(h).required;
    const raisedBy = instances > own ? "lead-time" : own > required ? "thin-hour" : null;
    return { instances, raisedBy };
  });
}

/**
 * The preset's `desiredInstances` and schedule blocks for counts per local hour 0–23; with weekend
 * counts too, the most common count of both and blocks restricted to weekdays and weekend days.
 */
export function hourlySchedule(
  perHour: readonly number[],
  weekend: readonly number[] | null = null,
): {
  desiredInstances: number;
  schedules: ScheduleBlock[];
} {
  if (weekend === null) {
    const desiredInstances = mostCommon(perHour);
    return { desiredInstances, schedules: scheduleBlocks(perHour, desiredInstances) };
  }
  const desiredInstances = mostCommon([...perHour, ...weekend]);
  return {
    desiredInstances,
    schedules: [
      ...scheduleBlocks(perHour, desiredInstances, WEEKDAYS),
      ...scheduleBlocks(weekend, desiredInstances, WEEKEND_DAYS),
    ],
  };
}

/**
 * The schedule for the sweep, or null when the swept field (the first --vary) is not a preset's
 * desiredInstances; `none` with the reason when it is but no schedule can be derived.
 */
export function adviseSchedule(
  plan: SweepPlan,
  stats: readonly PointStats[],
  recommendation: Recommendation,
): ScheduleAdvice | null {
  const x = plan.dimensions[0];
  if (x === undefined) return null;
  const [templates, ti, versions, vi, presets, pi, field] = x.path;
  if (
    templates !== "templates" ||
    versions !== "versions" ||
    presets !== "presets" ||
    field !== DESIRED ||
    x.path.length !== 7
  )
    return null;
  const template = plan.scenario.templates[ti as number];
  const preset = template?.versions[vi as number]?.presets[pi as number];
  if (template === undefined || preset === undefined) return null;
  const ref = { template: template.name, preset: preset.name };
  const name = formatPresetRef(ref);
  if (plan.focus.preset?.template !== ref.template || plan.focus.preset.preset !== ref.preset)
    return {
      kind: "none",
      reason: `the sweep measures ${plan.focus.preset === null ? "every preset's claims" : formatPresetRef(plan.focus.preset)}, not ${name}`,
    };
  if (preset.scheduling !== null)
    return {
      kind: "none",
      reason: `${name} already has a scheduling block; remove it to sweep a constant pool`,
    };
  const diurnal = plan.scenario.workload.claims.some(
    (c) =>
      c.preset.template === ref.template &&
      c.preset.preset === ref.preset &&
      c.arrivals.kind === "poisson" &&
      c.arrivals.diurnal !== null,
  );
  if (!diurnal)
    return { kind: "none", reason: `the claims of ${name} have no diurnal shape (rate with hours)` };
  if (!x.values.every((v) => Number.isInteger(v.value)))
    return { kind: "none", reason: `${x.name} takes values that are not whole numbers` };

  const lineIndex = Math.max(
    0,
    recommendation.lines.findIndex(
      (l) => recommendation.best !== null && l.points.includes(recommendation.best),
    ),
  );
  const line = recommendation.lines[lineIndex];
  if (line === undefined) return null;
  const instancesOf = (p: number) => x.values[plan.points[p]?.valueIndexes[0] as number]?.value as number;
  const candidates = (hour: number) =>
    line.points.map((p) => ({ instances: instancesOf(p), estimate: stats[p]?.hourlyHitRate[hour] ?? null }));
  const idleAt = (point: number, hour: number) => stats[point]?.hourlyIdlePrebuilds[hour] ?? null;
  const picks = Array.from({ length: 24 }, (_, hour) => chooseHour(hour, candidates(hour), plan.target));
  const lead = leadTime(plan.scenario, preset);
  const shaped = shapeHours(
    picks.map((p) => ({ required: p.instances, basis: p.basis })),
    lead.hours,
  );
  const hours = picks.map((pick, hour): HourChoice => {
    const { instances, raisedBy } = shaped[hour] as { instances: number; raisedBy: HourRaise | null };
    // Every shaped count is one of the swept ones (a maximum of picks), so it has its point.
    const idle = idleAt(line.points.find((p) => instancesOf(p) === instances) as number, hour);
    return {
      ...pick,
      instances,
      required: pick.instances,
      raisedBy,
      idlePrebuilds: idle === null ? instances : idle.mean,
      idleAssumed: idle === null,
    };
  });
  const best = recommendation.best;
  const constant =
    best === null
      ? null
      : {
          instances: instancesOf(best),
          idlePrebuildHoursPerDay: hours.reduce(
            (sum, h) => sum + (idleAt(best, h.hour)?.mean ?? instancesOf(best)),
            0,
          ),
        };
  const rates = weeklyClaimRates(plan.scenario.workload.claims, ref, plan.focus.timezone);
  const swept = {
    smallest: instancesOf(line.points[0] as number),
    largest: instancesOf(line.points[line.points.length - 1] as number),
  };
  const weekend: WeekendAdvice | null =
    rates === null
      ? null
      : (() => {
          const wPicks = weekendPicks(
            rates,
            picks.map((p) => ({ required: p.instances, basis: p.basis })),
            swept,
          );
          const wShaped = shapeHours(wPicks, lead.hours);
          const wHours = wPicks.map((w, hour) => {
            const { instances, raisedBy } = wShaped[hour] as {
              instances: number;
              raisedBy: HourRaise | null;
            };
            // the idle pool of the weekday hour it is like, at this count; none: the whole pool
            const point = line.points.find((p) => instancesOf(p) === instances) as number;
            const idle = w.like === null ? null : idleAt(point, w.like);
            return {
              hour,
              instances,
              required: w.required,
              raisedBy,
              basis: w.basis,
              hitRate: null,
              lowerBound: null,
              claims: 0,
              idlePrebuilds: idle === null ? instances : idle.mean,
              idleAssumed: idle === null,
              like: w.like,
            };
          });
          return {
            hours: wHours,
            idlePrebuildHoursPerDay: wHours.reduce((sum, h) => sum + h.idlePrebuilds, 0),
          };
        })();
  const { desiredInstances, schedules } = hourlySchedule(
    hours.map((h) => h.instances),
    weekend === null ? null : weekend.hours.map((h) => h.instances),
  );
  // A block Terraform refuses would never reach Coder, and the reconciler ignores every schedule of
  // a preset when two overlap: the advice must pass both. (No blocks: no scheduling block at all.)
  const problems =
    schedules.length === 0
      ? []
      : terraformSchedulingProblems(
          plan.focus.timezone,
          schedules.map((s) => s.cron),
        );
  if (problems.length > 0)
    throw new Error(`schedule advice is invalid: ${problems.map((p) => p.message).join("; ")}`);
  return {
    kind: "schedule",
    preset: ref,
    timezone: plan.focus.timezone,
    line: line.label,
    hours,
    desiredInstances,
    schedules,
    idlePrebuildHoursPerDay: hours.reduce((sum, h) => sum + h.idlePrebuilds, 0),
    constant,
    yaml: scheduleYaml(plan.focus.timezone, desiredInstances, schedules),
    leadTime: lead,
    thinHours: hours.filter((h) => isThin(h.basis)).map((h) => h.hour),
    simulated: null,
    weekend,
  };
}
