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

export const NAME_PATTERN = SAFE_NAME_PATTERN;

/** The scenario's own name and replica names: not Coder names, they name a directory and trace actors. */
export const nameField = z
  .string({ error: SAFE_NAME_EXPECTED })
  .regex(SAFE_NAME_PATTERN, { error: SAFE_NAME_EXPECTED });

/** A name of one of Coder's kinds, accepted exactly when Coder accepts it (see names.ts). */
function coderNameField(kind: CoderNameKind) {
  const rule = NAME_RULES[kind];
  return z
    .string({ error: rule.expected })
    .superRefine((name, ctx) => {
      const refused = refusedNameMessage(kind, name);
      if (refused !== null) addProblem(ctx, refused);
    })
    .meta({ description: rule.description, ...rule.jsonSchema });
}

export const organizationNameField = coderNameField("organization");
export const templateNameField = coderNameField("template");
export const versionNameField = coderNameField("version");
export const presetNameField = coderNameField("preset");

export function integerField(min: number) {
  const expected = `expected an integer ≥ ${min}`;
  return z.int({ error: expected }).min(min, { error: expected });
}

const PROBABILITY_EXPECTED = "expected a probability between 0 and 1";
export const probabilityField = z
  .number({ error: PROBABILITY_EXPECTED })
  .min(0, { error: PROBABILITY_EXPECTED })
  .max(1, { error: PROBABILITY_EXPECTED });

const MULTIPLIER_EXPECTED = "expected a number ≥ 0";
export const multiplierField = z
  .number({ error: MULTIPLIER_EXPECTED })
  .min(0, { error: MULTIPLIER_EXPECTED });

/** Which durations make sense where: a period must be positive, an offset or a skew may not. */
export type DurationRange = "positive" | "nonNegative" | "signed";

export function durationField(range: DurationRange, options: { wholeSeconds?: boolean } = {}) {
  return z.string({ error: DURATION_EXPECTED }).transform((text, ctx): Duration => {
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
  });
}

export const instantField = z.string({ error: INSTANT_EXPECTED }).transform((text, ctx): Instant => {
  const parsed = parseIsoInstant(text);
  return parsed.ok ? parsed.value : fail(ctx, expectedGot(parsed.expected, text));
});

export const timeZoneField = z.string({ error: TIME_ZONE_EXPECTED }).transform((text, ctx): string => {
  const parsed = parseTimeZone(text);
  return parsed.ok ? parsed.value : fail(ctx, expectedGot(parsed.expected, text));
});

/** Claims per hour. */
export const rateField = z.string({ error: RATE_EXPECTED }).transform((text, ctx): number => {
  const parsed = parseRate(text);
  return parsed.ok ? parsed.value : fail(ctx, expectedGot(parsed.expected, text));
});

/**
 * A preset as claims and faults name it: the text `template/preset` (`template/version/preset`,
 * names with a slash quoted, see presetRef.ts) or a mapping `{template, version?, preset}`.
 */
export const presetRefField = z.union(
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
);

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
  });
