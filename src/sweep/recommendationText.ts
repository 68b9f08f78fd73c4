// The recommendation in words, shared by the terminal output, sweep.md and sweep.html: which
// setting, what it buys (hit rate with its bound) and what it costs (idle prebuild-hours), and the
// schedule advice with the hours whose choice rests on thin evidence.
import { formatPresetRef } from "../scenario/presetRef.ts";
import { type Estimate, MIN_SEEDS_FOR_INTERVAL } from "./confidence.ts";
import type { PointStats } from "./pointStats.ts";
import { boundUsed } from "./recommend.ts";
import type { SweepResult } from "./result.ts";
import type { HourBasis, HourChoice, ScheduleAdvice } from "./scheduleAdvice.ts";
import { estimateText, percent } from "./sweepTable.ts";

/** `estimateText`, saying so when there were too few seeds for an interval. */
function withInterval(e: Estimate, format: (x: number) => string): string {
  const text = estimateText(e, format);
  return e.n < MIN_SEEDS_FOR_INTERVAL ? `${text} (not enough seeds for an interval)` : text;
}

function pointSetting(result: SweepResult, point: number): string {
  const p = result.points[point];
  if (p === undefined) throw new Error(`sweep: no point ${point}`);
  return result.dimensions.map((d, i) => `${d.name}=${p.values[i]}`).join(", ");
}

function pointFacts(stats: PointStats): string {
  const hit = stats.hitRate;
  const idle = stats.idlePrebuildHoursPerDay;
  const parts = [
    hit === null
      ? "no claims"
      : `hit rate ${withInterval(hit.perSeed, (x) => percent(x))} (lower bound ${percent(hit.lowerBound)})`,
    `idle cost ${withInterval(idle, (x) => x.toFixed(1))} prebuild-hours per day (${(idle.mean / 24).toFixed(1)} prebuilds idle on average)`,
    `${stats.prebuildBuildsPerHour.mean.toFixed(2)} prebuild builds per hour`,
  ];
  if (stats.waitP95Seconds !== null) parts.push(`claim wait p95 ${stats.waitP95Seconds.mean.toFixed(1)} s`);
  return parts.join(", ");
}

/** The best observed hit rate, for the "nothing meets the target" message. */
function bestObserved(result: SweepResult): string {
  let best: { point: number; rate: number } | null = null;
  for (const p of result.points) {
    const rate = p.stats.hitRate?.lowerBound;
    if (rate !== undefined && (best === null || rate > best.rate)) best = { point: p.index, rate };
  }
  return best === null
    ? "no point had a claim"
    : `the highest lower bound is ${percent(best.rate)} at ${pointSetting(result, best.point)}`;
}

/** Paragraphs of plain text (callers escape them for their format). */
export function recommendationParagraphs(result: SweepResult): string[] {
  const { recommendation: rec } = result;
  const what = result.focus.preset === null ? "all claims" : `the claims of ${result.focus.preset}`;
  const out = [
    `Target: a hit rate of at least ${percent(rec.target)} for ${what}, over ${result.seeds.length} seed${result.seeds.length === 1 ? "" : "s"} per point. Rule: ${rec.rule}. ${boundUsed(result.seeds.length)}`,
  ];
  if (rec.best === null) {
    out.push(`No swept setting meets the target: ${bestObserved(result)}. Sweep larger values.`);
    return out;
  }
  const best = result.points[rec.best]?.stats as PointStats;
  out.push(`Recommended: ${pointSetting(result, rec.best)} — ${pointFacts(best)}.`);
  if (rec.lines.length > 1) {
    for (const line of rec.lines) {
      const pick = line.recommended;
      out.push(
        pick === null
          ? `With ${line.label}: no swept value meets the target.`
          : `With ${line.label}: ${pointSetting(result, pick)} — ${pointFacts(result.points[pick]?.stats as PointStats)}.`,
      );
    }
  }
  return out;
}

const DESIRED_FIELD = "desiredInstances";

const BASIS_TEXT: Readonly<Record<Exclude<HourBasis, "met">, string>> = {
  "point-estimate":
    "thin data: too few claims for the bound to reach the target; chosen by the point estimate, then raised to at least the adjacent firm hours' counts",
  "not-met": "no swept value reaches the target; the largest is used",
  "no-claims": "no claims; the smallest swept value is used",
};

function hourRanges(hours: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < hours.length; ) {
    let j = i;
    while (j + 1 < hours.length && (hours[j + 1] as number) === (hours[j] as number) + 1) j++;
    parts.push(i === j ? `${hours[i]}` : `${hours[i]}-${hours[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

export interface ScheduleText {
  /** before the YAML */
  paragraphs: string[];
  /** the block to paste, or null when there is none */
  yaml: string | null;
  /** after the YAML: hours chosen on thin evidence, and the caveat */
  notes: string[];
}

/**
 * The simulated schedule's idle prebuild-hours per day, hour by hour like the advice's estimate: the
 * mean idle pool the simulation had in each local hour, the scheduled count for an hour it did not cover.
 */
export function simulatedIdlePerDay(advice: Extract<ScheduleAdvice, { kind: "schedule" }>): number {
  const idle = advice.simulated?.stats.hourlyIdlePrebuilds;
  return advice.hours.reduce((sum, h) => sum + (idle?.[h.hour]?.mean ?? h.instances), 0);
}

/** The simulated advice against the constant recommendation, and the hours it falls short in. */
function simulatedText(result: SweepResult): string[] {
  const advice = result.schedule;
  if (advice?.kind !== "schedule") return [];
  const sim = advice.simulated;
  if (sim === null) return ["The schedule was not simulated."];
  const best = result.recommendation.best;
  const constantStats = best === null ? null : (result.points[best]?.stats ?? null);
  const rate = (s: PointStats | null) =>
    s?.hitRate == null
      ? "no claims"
      : `${percent(s.hitRate.pooled)} (lower bound ${percent(s.hitRate.lowerBound)})`;
  const against =
    constantStats === null || advice.constant === null
      ? ""
      : `, against ${rate(constantStats)} for the constant ${DESIRED_FIELD} ${advice.constant.instances}`;
  const short = advice.hours
    .filter((h) => {
      const e = sim.stats.hourlyHitRate[h.hour];
      return e != null && e.pooled < result.target;
    })
    .map((h) => h.hour);
  const out = [
    `Simulated with the same seeds (${sim.runs.length}), the schedule's hit rate is ${rate(sim.stats)}${against}; its idle pool, measured and counted the same way, ${simulatedIdlePerDay(advice).toFixed(1)} prebuild-hours per day.`,
    short.length === 0
      ? `In every hour with claims the simulated schedule's hit rate reaches ${percent(result.target)}.`
      : `${short.length === 1 ? "Hour" : "Hours"} ${hourRanges(short)}: the simulated schedule's hit rate stays below ${percent(result.target)} (see the table).`,
  ];
  if (sim.stats.failedSeeds > 0)
    out.push(`${sim.stats.failedSeeds} of its seeds broke an invariant: ${sim.stats.broken.join(", ")}.`);
  return out;
}

/** The schedule advice in words around the YAML to paste. */
export function scheduleText(result: SweepResult): ScheduleText {
  const advice = result.schedule;
  if (advice === null) return { paragraphs: [], yaml: null, notes: [] };
  if (advice.kind === "none")
    return { paragraphs: [`No schedule recommendation: ${advice.reason}.`], yaml: null, notes: [] };
  const on = advice.line === "" ? "" : ` with ${advice.line}`;
  const lead = advice.leadTime;
  const paragraphs = [
    `Recommended schedule for ${formatPresetRef(advice.preset)}${on}: for each local hour (${advice.timezone}), the smallest swept count whose hit rate in that hour meets the target; a thin hour is raised to its adjacent firm hours' counts, and every raise starts one lead time before the demand it serves — ${lead.text}, rounded up to ${lead.hours} whole hour${lead.hours === 1 ? "" : "s"} (the crons' granularity). Paste into the preset:`,
  ];
  const notes = new Map<HourBasis, HourChoice[]>();
  for (const h of advice.hours) if (h.basis !== "met") notes.set(h.basis, [...(notes.get(h.basis) ?? []), h]);
  const noteLines = [...notes].map(
    ([basis, hours]) =>
      `${hours.length === 1 ? "Hour" : "Hours"} ${hourRanges(hours.map((h) => h.hour))}: ${BASIS_TEXT[basis as Exclude<HourBasis, "met">]}.`,
  );
  const raised = (why: HourChoice["raisedBy"]) =>
    advice.hours.filter((h) => h.raisedBy === why).map((h) => h.hour);
  const raises = [
    raised("thin-hour").length === 0
      ? null
      : `Raised as thin hours next to firm ones: ${hourRanges(raised("thin-hour"))}.`,
    raised("lead-time").length === 0
      ? null
      : `Raised one lead time ahead of the demand: ${hourRanges(raised("lead-time"))}.`,
  ].filter((t): t is string => t !== null);
  const assumed = advice.hours.filter((h) => h.idleAssumed).map((h) => h.hour);
  const against =
    advice.constant === null
      ? ""
      : `, against ${advice.constant.idlePrebuildHoursPerDay.toFixed(1)} for a constant ${DESIRED_FIELD} ${advice.constant.instances} counted the same way`;
  const cost = `This schedule leaves about ${advice.idlePrebuildHoursPerDay.toFixed(1)} prebuild-hours idle per day${against}${assumed.length === 0 ? "" : `; hours ${hourRanges(assumed)}, which no run covered, count as a full idle pool`}.`;
  return {
    paragraphs,
    yaml: advice.yaml,
    notes: [cost, ...noteLines, ...raises, ...weekendText(advice), ...simulatedText(result)],
  };
}

/** How the weekend's hours were chosen, when the claims have a weekend shape. */
function weekendText(advice: Extract<ScheduleAdvice, { kind: "schedule" }>): string[] {
  const weekend = advice.weekend;
  if (weekend === null) return [];
  const { hours } = weekend;
  const hoursWhere = (keep: (h: (typeof hours)[number]) => boolean) => hours.filter(keep).map((h) => h.hour);
  const none = hoursWhere((h) => h.basis === "no-claims" && h.like === null);
  const uncovered = hoursWhere((h) => h.basis === "no-claims" && h.like !== null);
  const above = hoursWhere((h) => h.basis === "not-met" && h.like === null);
  return [
    [
      `The claims have a weekend shape: the hours above are Monday to Friday's (day-of-week 1-5), and Saturday and Sunday (0,6) get their own blocks.`,
      `The runs' hit rates pool every day they covered, so each weekend hour takes the count of the weekday hour with the nearest claim rate at or above its own (a pool that meets the target there meets it at a lower rate), then the same thin-hour and lead-time raises.`,
      none.length === 0
        ? ""
        : `Weekend ${none.length === 1 ? "hour" : "hours"} ${hourRanges(none)}: no claims.`,
      uncovered.length === 0
        ? ""
        : `Weekend ${uncovered.length === 1 ? "hour" : "hours"} ${hourRanges(uncovered)}: like weekday hours no run covered; the smallest swept value is used.`,
      above.length === 0
        ? ""
        : `Weekend ${above.length === 1 ? "hour" : "hours"} ${hourRanges(above)}: a claim rate above every weekday hour's; the largest swept value is used, unmeasured.`,
      `The weekend leaves about ${weekend.idlePrebuildHoursPerDay.toFixed(1)} prebuild-hours idle per day.`,
    ]
      .filter((t) => t !== "")
      .join(" "),
  ];
}
