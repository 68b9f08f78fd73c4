// The scalar fields of a scenario file as zod schemas. Each carries the one sentence that says what
// was expected ("expected an integer ≥ 0"); the loader adds where and what it got.
import { z } from "zod";
import type { Duration, Instant } from "../clock/types.ts";
import type { DurationDistribution } from "../kernel/rng.ts";
import {
  DURATION_EXPECTED,
  formatIsoDuration,
  INSTANT_EXPECTED,
  parseIsoDuration,
  parseIsoInstant,
  parseTimeZone,
  TIME_ZONE_EXPECTED,
} from "./isoTime.ts";
import {
  type CoderNameKind,
  NAME_RULES,
  refusedNameMessage,
  SAFE_NAME_EXPECTED,
  SAFE_NAME_PATTERN,
} from "./names.ts";
import { PRESET_REF_EXPECTED, parsePresetRefText } from "./presetRef.ts";
import { describeValue } from "./problem.ts";
import { parseRate, RATE_EXPECTED } from "./rate.ts";
import type { PresetRef } from "./scenario.ts";
import { TIME_ZONE_NAMES } from "./timeZoneNames.ts";

type Ctx = z.core.$RefinementCtx;

/**
 * Records a problem whose message is complete ("expected …, got …"), at `path` below the value;
 * `atKey` places it on the last key of the path rather than on that key's value.
 */
export function addProblem(ctx: Ctx, message: string, path: (string | number)[] = [], atKey = false): void {
  ctx.addIssue({ code: "custom", message, path, params: { atKey } });
}

/** `addProblem`, for a transform that then has no value to return. */
export function fail(ctx: Ctx, message: string, path: (string | number)[] = []): never {
  addProblem(ctx, message, path);
  return z.NEVER;
}

/**
 * An error map for a mapping: `message` when the value is not a mapping at all, the loader's own
 * wording for everything else (unknown keys above all, which it reports one by one with a suggestion).
 */
export function notAMapping(message: string) {
  return (issue: z.core.$ZodRawIssue): string | undefined =>
    issue.code === "invalid_type" ? message : undefined;
}

/** `expected X, got Y` with Y quoted as the loader quotes values. */
export function expectedGot(expected: string, input: unknown): string {
  return `${expected}, got ${describeValue(input)}`;
}

// Patterns for the JSON Schema (jsonSchema.ts): the input side of fields that the loader parses
// with a transform, which JSON Schema would otherwise see as any string. Each accepts a subset of
// what the loader accepts (the canonical spellings), and every library scenario matches them.
const DURATION_BODY =
  "P(?=\\d|T\\d)(?:\\d+W)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+(?:[.,]\\d+)?H)?(?:\\d+(?:[.,]\\d+)?M)?(?:\\d+(?:[.,]\\d+)?S)?)?";
const ZERO_DURATION = "P(?:0+W)?(?:0+D)?(?:T(?:0+(?:[.,]0+)?H)?(?:0+(?:[.,]0+)?M)?(?:0+(?:[.,]0+)?S)?)?$";
export const DURATION_PATTERNS: Readonly<Record<DurationRange, string>> = {
  signed: `^[+-]?${DURATION_BODY}$`,
  nonNegative: `^\\+?${DURATION_BODY}$`,
  positive: `^\\+?(?!${ZERO_DURATION})${DURATION_BODY}$`,
};
export const INSTANT_PATTERN =
  "^\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt ](?:[01]\\d|2[0-3]):[0-5]\\d(?::(?:[0-5]\\d|60)(?:[.,]\\d{1,3})?)?(?:[Zz]|[+-](?:[01]\\d|2[0-3])(?::?[0-5]\\d)?)$";
/** A time-range cron spec as the reconciler takes it: five fields, the minute `*`, maybe CRON_TZ=. */
export const CRON_PATTERN = "^\\s*(?:CRON_TZ=\\S*\\s+)?\\*(?:\\s+[0-9*,/-]+){4}\\s*$";
/** A key of a claim stream's `hours`: `*`, an hour or a range of hours (diurnal.ts). */
export const HOUR_KEY_PATTERN = "^(?:\\*|\\s*(?:[01]?\\d|2[0-3])\\s*(?:-\\s*(?:[01]?\\d|2[0-3])\\s*)?)$";
export const RATE_PATTERN = "^\\s*\\d+(?:\\.\\d+)?\\s*/\\s*[mhd]\\s*$";

export const NAME_PATTERN = SAFE_NAME_PATTERN;

/** The scenario's own name and replica names: not Coder names, they name a directory and trace actors. */
export const nameField = z
  .string({ error: SAFE_NAME_EXPECTED })
  .regex(SAFE_NAME_PATTERN, { error: SAFE_NAME_EXPECTED })
  .meta({
    description: "The scenario's or a replica's name: lowercase letters, digits and dashes.",
    examples: ["steady-state", "replica-a"],
  });

/** A name of one of Coder's kinds, accepted exactly when Coder accepts it (see names.ts). */
function coderNameField(kind: CoderNameKind) {
  const rule = NAME_RULES[kind];
  return z
    .string({ error: rule.expected })
    .superRefine((name, ctx) => {
      const refused = refusedNameMessage(kind, name);
      if (refused !== null) addProblem(ctx, refused);
    })
    .meta({ description: rule.description, examples: [...rule.examples], ...rule.jsonSchema });
}

export const organizationNameField = coderNameField("organization");
export const templateNameField = coderNameField("template");
export const versionNameField = coderNameField("version");
export const presetNameField = coderNameField("preset");

export function integerField(min: number) {
  const expected = `expected an integer ≥ ${min}`;
  return z
    .int({ error: expected })
    .min(min, { error: expected })
    .meta({ description: `An integer, ${min} or more.`, examples: [min, min + 2] });
}

const PROBABILITY_EXPECTED = "expected a probability between 0 and 1";
export const probabilityField = z
  .number({ error: PROBABILITY_EXPECTED })
  .min(0, { error: PROBABILITY_EXPECTED })
  .max(1, { error: PROBABILITY_EXPECTED })
  .meta({ description: "A probability between 0 and 1.", examples: [0, 0.05, 1] });

const MULTIPLIER_EXPECTED = "expected a number ≥ 0";
export const multiplierField = z
  .number({ error: MULTIPLIER_EXPECTED })
  .min(0, { error: MULTIPLIER_EXPECTED })
  .meta({ description: "A factor, 0 or more.", examples: [0.5, 2] });

/** Which durations make sense where: a period must be positive, an offset or a skew may not. */
export type DurationRange = "positive" | "nonNegative" | "signed";

export function durationField(range: DurationRange, options: { wholeSeconds?: boolean } = {}) {
  return z
    .string({ error: DURATION_EXPECTED })
    .transform((text, ctx): Duration => {
      const parsed = parseIsoDuration(text);
      if (!parsed.ok) return fail(ctx, expectedGot(parsed.expected, text));
      if (range === "positive" && parsed.value <= 0)
        return fail(ctx, expectedGot("expected a duration longer than PT0S", text));
      if (range === "nonNegative" && parsed.value < 0)
        return fail(ctx, expectedGot("expected a duration of PT0S or more", text));
      if (options.wholeSeconds && parsed.value % 1000 !== 0) {
        return fail(ctx, expectedGot("expected a whole number of seconds", text));
      }
      return parsed.value;
    })
    .meta({
      description: DURATION_DESCRIPTIONS[range],
      examples: range === "signed" ? ["PT2S", "-PT0.5S"] : ["PT30S", "PT1H30M"],
      pattern: DURATION_PATTERNS[range],
    });
}

const DURATION_DESCRIPTIONS: Readonly<Record<DurationRange, string>> = {
  positive:
    "An ISO-8601 duration longer than zero, in weeks, days, hours, minutes and seconds (PT15S, PT1H30M, P1D).",
  nonNegative:
    "An ISO-8601 duration, zero or more, in weeks, days, hours, minutes and seconds (PT0S, PT15S, P1D).",
  signed: "An ISO-8601 duration, negative with a leading minus (PT2S, -PT0.5S).",
};

export const instantField = z
  .string({ error: INSTANT_EXPECTED })
  .transform((text, ctx): Instant => {
    const parsed = parseIsoInstant(text);
    return parsed.ok ? parsed.value : fail(ctx, expectedGot(parsed.expected, text));
  })
  .meta({
    description: "An ISO-8601 instant with a UTC offset (Z or +01:00), in whole milliseconds.",
    examples: ["2026-03-02T06:00:00Z", "2026-03-02T07:00:00+01:00"],
    pattern: INSTANT_PATTERN,
  });

export const timeZoneField = z
  .string({ error: TIME_ZONE_EXPECTED })
  .transform((text, ctx): string => {
    const parsed = parseTimeZone(text);
    return parsed.ok ? parsed.value : fail(ctx, expectedGot(parsed.expected, text));
  })
  .meta({
    description:
      "An IANA time zone name. The schema lists the canonical names (and UTC, GMT, Etc/GMT±N); the loader also takes other spellings and aliases it can resolve, like europe/berlin or US/Eastern.",
    examples: ["Europe/Berlin", "UTC"],
    enum: TIME_ZONE_NAMES,
  });

/** Claims per hour. */
export const rateField = z
  .string({ error: RATE_EXPECTED })
  .transform((text, ctx): number => {
    const parsed = parseRate(text);
    return parsed.ok ? parsed.value : fail(ctx, expectedGot(parsed.expected, text));
  })
  .meta({
    description: "Claims per minute (/m), hour (/h) or day (/d).",
    examples: ["12/h", "3/m", "100/d"],
    pattern: RATE_PATTERN,
  });

/**
 * A preset as claims and faults name it: the text `template/preset` (`template/version/preset`,
 * names with a slash quoted, see presetRef.ts) or a mapping `{template, version?, preset}`.
 */
export const presetRefField = z
  .union(
    [
      z
        .string()
        .transform((text, ctx): PresetRef => {
          const parsed = parsePresetRefText(text);
          return parsed.ok ? parsed.ref : fail(ctx, expectedGot(parsed.expected, text));
        })
        .meta({
          description:
            'template/preset or template/version/preset; a part with a slash in JSON quotes: ml-training/"CPU only / small"',
          examples: ["dev/small", "ml-training/brave_turing3/GPU (A100) – 8 CPU"],
          // A template name never holds a slash, so every text form has one after the template.
          pattern: "^[^/]+/.+$",
        }),
      z
        .strictObject({
          template: templateNameField,
          version: versionNameField.optional(),
          preset: presetNameField,
        })
        .transform(
          (o): PresetRef =>
            o.version === undefined
              ? { template: o.template, preset: o.preset }
              : { template: o.template, version: o.version, preset: o.preset },
        ),
    ],
    { error: PRESET_REF_EXPECTED },
  )
  .meta({
    description:
      "A preset: the text template/preset or template/version/preset (a part holding a slash in JSON quotes), or a mapping {template, version?, preset}.",
    examples: [
      "dev/small",
      { template: "ml-training", version: "brave_turing3", preset: "CPU only / small" },
    ],
  });

const DISTRIBUTION_FORMS = "{fixed: D}, {uniform: [D, D]} or {median: D, p90: D}";

/** How long something takes: `{fixed: D}`, `{uniform: [D, D]}` or `{median: D, p90: D}` (log-normal). */
export const distributionField = z
  .strictObject(
    {
      fixed: durationField("nonNegative").optional(),
      uniform: z
        .tuple([durationField("nonNegative"), durationField("nonNegative")], {
          error: "expected two durations [low, high]",
        })
        .meta({ description: "Uniform between two durations, low ≤ high.", examples: [["PT1M", "PT3M"]] })
        .optional(),
      median: durationField("nonNegative").optional(),
      p90: durationField("nonNegative").optional(),
    },
    { error: notAMapping(`expected a distribution: ${DISTRIBUTION_FORMS}`) },
  )
  .transform((d, ctx): DurationDistribution => {
    const forms = [
      d.fixed !== undefined && "fixed",
      d.uniform !== undefined && "uniform",
      (d.median !== undefined || d.p90 !== undefined) && "median/p90",
    ].filter((f) => f !== false);
    if (forms.length !== 1) {
      const got = forms.length === 0 ? "an empty mapping" : forms.join(" and ");
      return fail(ctx, `expected exactly one of ${DISTRIBUTION_FORMS}, got ${got}`);
    }
    if (d.fixed !== undefined) return { fixed: d.fixed };
    if (d.uniform !== undefined) {
      const [low, high] = d.uniform;
      if (low > high) {
        const got = `[${formatIsoDuration(low)}, ${formatIsoDuration(high)}]`;
        return fail(ctx, `expected [low, high] with low ≤ high, got ${got}`, ["uniform"]);
      }
      return { uniform: [low, high] };
    }
    if (d.median === undefined) return fail(ctx, "expected a median next to p90, got nothing", ["median"]);
    if (d.p90 === undefined) return fail(ctx, "expected a p90 next to median, got nothing", ["p90"]);
    if (d.p90 < d.median) {
      return fail(
        ctx,
        `expected p90 ≥ median ${formatIsoDuration(d.median)}, got ${formatIsoDuration(d.p90)}`,
        ["p90"],
      );
    }
    return { median: d.median, p90: d.p90 };
  })
  .meta({
    description:
      "How long something takes: {fixed: D}, {uniform: [low, high]} or a log-normal {median: D, p90: D}. Exactly one form; low ≤ high and p90 ≥ median are checked by the loader.",
    examples: [{ fixed: "PT30S" }, { uniform: ["PT1M", "PT3M"] }, { median: "PT2M", p90: "PT5M" }],
    // Exactly one form; `additionalProperties: false` leaves no other keys to count.
    oneOf: [
      { required: ["fixed"], maxProperties: 1 },
      { required: ["uniform"], maxProperties: 1 },
      { required: ["median", "p90"], maxProperties: 2 },
    ],
  });
