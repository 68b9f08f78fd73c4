// Prebuild schedules of a preset (spec §3.5.1): which desired count applies at an instant.
import type { Instant } from "../clock/types.ts";
import type { PresetPrebuildScheduleRow, TemplatePresetRow } from "../db/rows.ts";
import type { Logger } from "./logger.ts";
import { TimeRangeCron } from "./timeRangeCron.ts";
import { loadTimeZone, wallClockAt } from "./timeZone.ts";

/** Upstream's `MatchesCron`: whether `at` falls in the spec's time range. Throws on a bad spec. */
export function matchesCron(spec: string, at: Instant): boolean {
  return TimeRangeCron.parse(spec).isWithinRange(at);
}

/** Days per month with February at 29: every (month, day) that some year has. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Whether some wall-clock minute matches both specs. Both minute fields are `*`, so that is: the
 * hour sets intersect, and some calendar day satisfies both day rules. Every (month, day-of-month)
 * pair a year can have (29 February included) falls on each of the seven weekdays in some year of
 * the 400-year Gregorian cycle, so trying all (month, day, weekday) triples is exact. Zones and
 * daylight-saving gaps are not considered: a preset's schedules share one zone, and a wall-clock
 * hour that a transition skips on one day exists on the same calendar day of other years.
 *
 * Upstream (the Terraform provider's helper) approximates instead: it ignores day-of-month when
 * either spec leaves it `*`, and with both fields restricted on both sides it reports an overlap
 * only if the day-of-month sets or the weekday sets intersect. The two agree on every schedule
 * that restricts only weekdays, which is what templates use.
 */
export function timeRangesOverlap(a: TimeRangeCron, b: TimeRangeCron): boolean {
  if (![...a.hours].some((h) => b.hours.has(h))) return false;
  for (let month = 1; month <= 12; month++) {
    const days = DAYS_IN_MONTH[month - 1] ?? 31;
    for (let day = 1; day <= days; day++) {
      for (let weekday = 0; weekday < 7; weekday++) {
        if (a.matchesDay(month, day, weekday) && b.matchesDay(month, day, weekday)) return true;
      }
    }
  }
  return false;
}

export class ScheduleValidationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScheduleValidationError";
  }
}

/**
 * Validates a preset's schedules together, as upstream does before using any of them: every
 * spec must be a valid time-range spec and no two may overlap. Returns the parsed specs, in
 * order, in `timeZone`; throws a `ScheduleValidationError` naming the offending spec(s).
 */
export function validateSchedules(cronExpressions: readonly string[], timeZone: string): TimeRangeCron[] {
  const parsed = cronExpressions.map((cron) => {
    try {
      return TimeRangeCron.parse(`CRON_TZ=${timeZone} ${cron}`);
    } catch (cause) {
      throw new ScheduleValidationError(`invalid schedule "${cron}": ${(cause as Error).message}`, { cause });
    }
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (timeRangesOverlap(parsed[i] as TimeRangeCron, parsed[j] as TimeRangeCron)) {
        throw new ScheduleValidationError(
          `schedules overlap: ${cronExpressions[i]} and ${cronExpressions[j]}`,
        );
      }
    }
  }
  return parsed;
}

type ValidationOutcome = { readonly ranges: readonly TimeRangeCron[] } | { readonly error: string };

/**
 * Validation is a pure function of the zone and the specs, and it is asked again at every cycle
 * for every preset, so outcomes are remembered (parsing a zone and scanning days for overlaps
 * costs far more than a lookup). Failures are still logged at every call, as upstream does.
 */
const validationOutcomes = new Map<string, ValidationOutcome>();
const MAX_REMEMBERED_VALIDATIONS = 4096;

function validatedSchedules(cronSpecs: readonly string[], timeZone: string): ValidationOutcome {
  const key = JSON.stringify([timeZone, cronSpecs]);
  let outcome = validationOutcomes.get(key);
  if (outcome === undefined) {
    try {
      outcome = { ranges: validateSchedules(cronSpecs, timeZone) };
    } catch (err) {
      outcome = { error: (err as Error).message };
    }
    if (validationOutcomes.size >= MAX_REMEMBERED_VALIDATIONS) validationOutcomes.clear();
    validationOutcomes.set(key, outcome);
  }
  return outcome;
}

export type SchedulingPreset = Pick<TemplatePresetRow, "id" | "desiredInstances" | "schedulingTimezone">;

/**
 * The desired instance count at `at` from the preset's schedules (spec §3.5.1): the first
 * schedule whose range contains `at` wins; otherwise, and whenever the configuration is unusable
 * (no zone, unknown zone, an invalid or overlapping schedule — logged as errors), the preset's
 * `desired_instances` (NULL counts as 0).
 *
 * Upstream also parses each spec again while matching and skips one that fails with its own log
 * line ("cron expression is invalid"); here validation has already parsed every spec in the zone,
 * so such a spec is reported by the validation error instead, with the same resulting count.
 */
export function calculateScheduledTarget(
  preset: SchedulingPreset,
  schedules: readonly PresetPrebuildScheduleRow[],
  at: Instant,
  logger: Logger,
): number {
  const base = preset.desiredInstances ?? 0;
  if (schedules.length === 0) return base;

  const timeZone = preset.schedulingTimezone;
  if (timeZone === "") {
    logger.error("timezone is not set in prebuild scheduling configuration", {
      preset_id: preset.id,
      timezone: timeZone,
    });
    return base;
  }
  try {
    loadTimeZone(timeZone);
  } catch (err) {
    logger.error("invalid timezone in prebuild scheduling configuration", {
      preset_id: preset.id,
      timezone: timeZone,
      error: (err as Error).message,
    });
    return base;
  }

  const cronSpecs = schedules.map((s) => s.cronExpression);
  const validated = validatedSchedules(cronSpecs, timeZone);
  if ("error" in validated) {
    logger.error("schedules are invalid or overlap with each other", {
      preset_id: preset.id,
      cron_specs: cronSpecs,
      error: validated.error,
    });
    return base;
  }

  // All of a preset's schedules share its zone: one conversion serves them all.
  const wallClock = wallClockAt(at, timeZone);
  for (const [i, range] of validated.ranges.entries()) {
    if (!range.matchesWallClock(wallClock)) continue;
    const schedule = schedules[i] as PresetPrebuildScheduleRow;
    logger.debug("current time matched cron expression", {
      preset_id: preset.id,
      current_time: at,
      cron_expression: range.spec,
      desired_instances: schedule.desiredInstances,
    });
    return schedule.desiredInstances;
  }
  return base;
}
