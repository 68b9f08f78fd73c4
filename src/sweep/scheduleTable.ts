// The schedule advice hour by hour: the count scheduled, what the hour's own claims asked for and
// why it was raised, how firm the evidence is, and — the test of the advice — the hit rate the
// simulated schedule got in that hour beside the constant recommendation's. The terminal shows the
// hours that matter (with claims, or a count other than the base); sweep.md, sweep.html and
// sweep-schedule.csv show all 24.
import type { HitRateEstimate } from "./confidence.ts";
import type { SweepResult } from "./result.ts";
import type { HourChoice, ScheduleAdvice } from "./scheduleAdvice.ts";
import { percent, type SweepTable } from "./sweepTable.ts";

type Scheduled = Extract<ScheduleAdvice, { kind: "schedule" }>;

function hitText(e: HitRateEstimate | null | undefined): string {
  return e == null ? "–" : `${percent(e.pooled)} of ${e.claims}`;
}

function constantHourly(result: SweepResult, hour: number): HitRateEstimate | null | undefined {
  const best = result.recommendation.best;
  return best === null ? undefined : result.points[best]?.stats.hourlyHitRate[hour];
}

function simulatedHourly(advice: Scheduled, hour: number): HitRateEstimate | null | undefined {
  return advice.simulated?.stats.hourlyHitRate[hour];
}

/** The hours the terminal lists: claims in the grid or the simulation, or a count off the base. */
export function notableHours(advice: Scheduled): HourChoice[] {
  return advice.hours.filter(
    (h) =>
      h.claims > 0 ||
      (simulatedHourly(advice, h.hour)?.claims ?? 0) > 0 ||
      h.instances !== advice.desiredInstances,
  );
}

/** One row per hour; `hours` picks which (all 24 by default). */
export function scheduleHourTable(
  result: SweepResult,
  advice: Scheduled,
  hours: readonly HourChoice[] = advice.hours,
): SweepTable {
  const best = result.recommendation.best;
  const constant = best === null ? "constant: none" : `constant ${result.points[best]?.values[0]}: hit rate`;
  const head = [
    "local hour",
    "prebuilds",
    "own need",
    "raised for",
    "basis",
    "schedule: hit rate",
    "lower bound",
    constant,
  ];
  const rows = hours.map((h) => {
    const sim = simulatedHourly(advice, h.hour);
    return [
      String(h.hour),
      String(h.instances),
      String(h.required),
      h.raisedBy ?? "–",
      h.basis,
      hitText(sim),
      sim == null ? "–" : percent(sim.lowerBound),
      hitText(constantHourly(result, h.hour)),
    ];
  });
  return { head, numeric: [true, true, true, false, false, true, true, true], rows };
}

function csvCell(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/**
 * sweep-schedule.csv: one row per local hour, numbers unrounded, empty cells for nothing. With a
 * weekend shape the 24 rows are the weekdays' and 24 weekend rows follow (`days`), which have no
 * hit rates of their own, only the weekday hour they were judged by (`like_weekday_hour`).
 */
export function scheduleCsv(result: SweepResult, advice: Scheduled): string {
  const head = [
    "hour",
    "instances",
    "required",
    "raised_by",
    "basis",
    "thin",
    "grid_claims",
    "grid_hit_rate_at_required",
    "grid_lower_bound_at_required",
    "schedule_claims",
    "schedule_hit_rate",
    "schedule_lower_bound",
    "constant_instances",
    "constant_claims",
    "constant_hit_rate",
    "constant_lower_bound",
    "idle_prebuilds",
    "days",
    "like_weekday_hour",
  ];
  const days = advice.weekend === null ? "all" : "weekdays";
  const best = result.recommendation.best;
  const constantInstances = best === null ? null : (result.points[best]?.numbers[0] ?? null);
  const rows = advice.hours.map((h) => {
    const sim = simulatedHourly(advice, h.hour);
    const con = constantHourly(result, h.hour);
    return [
      h.hour,
      h.instances,
      h.required,
      h.raisedBy,
      h.basis,
      String(advice.thinHours.includes(h.hour)),
      h.claims,
      h.hitRate,
      h.lowerBound,
      sim?.claims ?? (advice.simulated === null ? null : 0),
      sim?.pooled,
      sim?.lowerBound,
      constantInstances,
      con?.claims ?? (best === null ? null : 0),
      con?.pooled,
      con?.lowerBound,
      h.idlePrebuilds,
      days,
      null,
    ]
      .map(csvCell)
      .join(",");
  });
  const weekendRows = (advice.weekend?.hours ?? []).map((h) => {
    // thin, and the grid's, the simulation's and the constant's claims and rates: none of its own
    const unmeasured = new Array<null>(11).fill(null);
    const cells: (string | number | null)[] = [h.hour, h.instances, h.required, h.raisedBy, h.basis];
    return [...cells, ...unmeasured, h.idlePrebuilds, "weekend", h.like].map(csvCell).join(",");
  });
  return `${[head.join(","), ...rows, ...weekendRows].join("\n")}\n`;
}
