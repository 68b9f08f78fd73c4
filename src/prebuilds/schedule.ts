// Prebuild schedules of a preset (spec §3.5.1): which desired count applies at an instant.
import type { Instant } from "../clock/types.ts";
import type { PresetPrebuildScheduleRow, TemplatePresetRow } from "../db/rows.ts";
import type { Logger } from "./logger.ts";
import { ScheduleValidationError, validateSchedules } from "./scheduleValidation.ts";
import { CronSpecError, TimeRangeCron } from "./timeRangeCron.ts";
import { loadTimeZone, type WallClock, wallClockAt } from "./timeZone.ts";

/**
 * Upstream's `MatchesCron`: whether `at` falls in the spec's time range. Throws a `CronSpecError`
 * whose message reads as upstream's (`failed to parse cron expression: …`) on a bad spec.
 */
export function matchesCron(spec: string, at: Instant): boolean {
  return parseTimeRange(spec).isWithinRange(at);
}

/**
 * Parsed specs, remembered: the reconciler asks again at every cycle for every preset, and parsing
 * (a zone lookup included) costs far more than a lookup. A failure is remembered too and thrown again.
 */
const parsedSpecs = new Map<string, TimeRangeCron | CronSpecError>();
/** Validation outcomes of upstream's helper (null: valid), remembered for the same reason. */
const validationOutcomes = new Map<string, string | null>();
const MAX_REMEMBERED = 4096;

function remember<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size >= MAX_REMEMBERED) cache.clear();
    cache.set(key, value);
  }
  return value;
}

function parseTimeRange(spec: string): TimeRangeCron {
  const parsed = remember(parsedSpecs, spec, () => {
    try {
      return TimeRangeCron.parse(spec);
    } catch (err) {
      if (!(err instanceof CronSpecError)) throw err;
      return new CronSpecError(spec, `failed to parse cron expression: ${err.message}`);
    }
  });
  if (parsed instanceof CronSpecError) throw parsed;
  return parsed;
}

function scheduleValidationError(cronSpecs: readonly string[]): string | null {
  return remember(validationOutcomes, JSON.stringify(cronSpecs), () => {
    try {
      validateSchedules(cronSpecs);
      return null;
    } catch (err) {
      if (!(err instanceof ScheduleValidationError)) throw err;
      return err.message;
    }
  });
}

export type SchedulingPreset = Pick<TemplatePresetRow, "id" | "desiredInstances" | "schedulingTimezone">;

/**
 * The desired instance count at `at` from the preset's schedules (spec §3.5.1): the first
 * schedule whose range contains `at` wins; otherwise, and whenever the configuration is unusable
 * (no zone, unknown zone, schedules that upstream's Terraform helper finds invalid or overlapping —
 * logged as errors), the preset's `desired_instances` (NULL counts as 0). A schedule the helper let
 * through but the time-range parser refuses (a minute other than `*`, weekday 7 when it is the only
 * schedule, …) is logged and skipped, and the others still apply, as upstream does.
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
  const invalid = scheduleValidationError(cronSpecs);
  if (invalid !== null) {
    logger.error("schedules are invalid or overlap with each other", {
      preset_id: preset.id,
      cron_specs: cronSpecs,
      error: invalid,
    });
    return base;
  }

  // All of a preset's schedules share its zone: one conversion serves them all.
  let wallClock: WallClock | undefined;
  for (const schedule of schedules) {
    const spec = `CRON_TZ=${timeZone} ${schedule.cronExpression}`;
    let range: TimeRangeCron;
    try {
      range = parseTimeRange(spec);
    } catch (err) {
      logger.error("cron expression is invalid", {
        preset_id: preset.id,
        cron_expression: spec,
        error: (err as Error).message,
      });
      continue;
    }
    wallClock ??= wallClockAt(at, timeZone);
    if (!range.matchesWallClock(wallClock)) continue;
    logger.debug("current time matched cron expression", {
      preset_id: preset.id,
      current_time: at,
      cron_expression: spec,
      desired_instances: schedule.desiredInstances,
    });
    return schedule.desiredInstances;
  }
  return base;
}
