// The scenario file format (SCENARIOS.md §1) as a zod schema: strict mappings (an unknown key is
// an error, typos must not pass silently), the documented defaults, and every scalar parsed into
// kernel units. What one field alone can check is checked here; what needs the whole file
// (references, duplicates, windows inside the duration) is checked by `normalise.ts`.
import { z } from "zod";
import type { Duration } from "../clock/types.ts";
import { terraformSchedulingProblems } from "../prebuilds/presetSchedulingValidation.ts";
import { faultSchema } from "../world/faults/registry.ts";
import { resolveHourMultipliers } from "./diurnal.ts";
import {
  addProblem,
  distributionField,
  durationField,
  fail,
  instantField,
  integerField,
  multiplierField,
  nameField,
  notAMapping,
  organizationNameField,
  presetNameField,
  presetRefField,
  probabilityField,
  rateField,
  templateNameField,
  timeZoneField,
  versionNameField,
} from "./fields.ts";
import {
  type DiurnalShape,
  INVARIANT_NAMES,
  type OperatorAction,
  PROBE_NAMES,
  type PresetRef,
  type PresetScheduling,
  type Replica,
} from "./scenario.ts";

const BOOLEAN_EXPECTED = "expected true or false";
const booleanField = z.boolean({ error: BOOLEAN_EXPECTED });

/** Parameter values are strings in Coder; a bare YAML number would lose its spelling (`2.50` → 2.5). */
const parameterValueField = z.string({ error: 'expected a string (quote numbers, like "2")' });

const templateParameterSchema = z.strictObject({
  name: z.string({ error: "expected a parameter name" }).min(1, { error: "expected a parameter name" }),
  required: booleanField.prefault(false),
  default: parameterValueField.optional(),
  immutable: booleanField.prefault(false),
});

const prebuildScheduleSchema = z.strictObject({
  /** Checked with the whole block below, as the Terraform provider checks it. */
  cron: z.string({ error: 'expected a time-range cron spec like "* 8-18 * * 1-5"' }),
  instances: integerField(0),
});

const UNVALIDATED_DESCRIPTION =
  "Skip the checks terraform-provider-coder makes when the template is planned (time zone, cron " +
  "fields, overlaps), to reproduce a preset whose invalid schedules reached the database anyway: the " +
  "reconciler then logs an error every cycle and falls back to desiredInstances, and the run warns.";

/**
 * A preset's `prebuilds.scheduling` block. A block the provider would refuse at `terraform plan`
 * never reaches Coder, so it is refused here with the provider's message, unless `unvalidated`.
 */
const presetSchedulingSchema = z
  .strictObject({
    timezone: z.string({ error: 'expected an IANA time zone name like "Europe/Berlin"' }),
    schedules: z.array(prebuildScheduleSchema).prefault([]),
    unvalidated: booleanField
      .prefault(false)
      .meta({ description: UNVALIDATED_DESCRIPTION, examples: [true] }),
  })
  .transform(({ timezone, schedules, unvalidated }, ctx): PresetScheduling => {
    if (!unvalidated) {
      const crons = schedules.map((s) => s.cron);
      for (const p of terraformSchedulingProblems(timezone, crons)) {
        addProblem(ctx, `${p.message} ${REFUSED_BY_TERRAFORM}`, [...p.path]);
      }
    }
    return { timezone, schedules };
  });

const REFUSED_BY_TERRAFORM =
  "(terraform-provider-coder refuses this when the template is planned; add `unvalidated: true` to the scheduling block to simulate it reaching the database)";

const presetSchema = z.strictObject({
  name: presetNameField,
  /** Absent: the preset has no prebuild configuration, like a NULL desired_instances upstream. */
  desiredInstances: integerField(0).optional(),
  parameters: z
    .record(z.string(), parameterValueField, { error: "expected a mapping of parameter names to values" })
    .prefault({}),
  /** invalidate_after_secs: whole seconds. */
  ttl: durationField("positive", { wholeSeconds: true }).optional(),
  failureRate: probabilityField.optional(),
  drift: z.strictObject({ replaceOnClaim: probabilityField.prefault(0) }).prefault({}),
  scheduling: presetSchedulingSchema.optional(),
});

const templateVersionSchema = z.strictObject({
  name: versionNameField,
  /** The first version is active unless one says `active: true`. */
  active: booleanField.optional(),
  parameters: z.array(templateParameterSchema).prefault([]),
  presets: z.array(presetSchema).prefault([]),
});

const templateSchema = z.strictObject({
  name: templateNameField,
  organization: organizationNameField.prefault("default"),
  versions: z.array(templateVersionSchema).min(1, { error: "expected at least one version" }),
});

const REPLICAS_EXPECTED = "expected {count: N} or a list like [{name: a}, {name: b, clockSkew: PT2S}]";

const replicasSchema = z
  .union(
    [
      z
        .strictObject({ count: integerField(1) })
        .transform(({ count }): Replica[] =>
          Array.from({ length: count }, (_, i) => ({ name: `replica-${i}`, clockSkew: 0 })),
        ),
      z
        .array(z.strictObject({ name: nameField, clockSkew: durationField("signed").prefault("PT0S") }))
        .min(1, { error: "expected at least one replica" }),
    ],
    { error: REPLICAS_EXPECTED },
  )
  .prefault({ count: 1 });

/** Claim arrivals as the file gives them; `at` offsets become instants once `start` is known. */
export type ClaimArrivalsInFile =
  | { readonly kind: "poisson"; readonly perHour: number; readonly diurnal: DiurnalShape | null }
  | { readonly kind: "every"; readonly every: Duration }
  | { readonly kind: "at"; readonly offsets: readonly Duration[] };

const ARRIVAL_KEYS = ["rate", "every", "at"] as const;

const claimSchema = z
  .strictObject({
    preset: presetRefField,
    rate: rateField.optional(),
    every: durationField("positive").optional(),
    at: z.array(durationField("nonNegative")).optional(),
    timezone: timeZoneField.optional(),
    hours: z.record(z.string(), multiplierField).optional(),
  })
  .transform((c, ctx): { preset: PresetRef; arrivals: ClaimArrivalsInFile } => {
    const given = ARRIVAL_KEYS.filter((k) => c[k] !== undefined);
    if (given.length !== 1) {
      const got = given.length === 0 ? "none" : given.join(" and ");
      return fail(ctx, `expected exactly one of rate, every or at, got ${got}`);
    }
    if (c.rate === undefined) {
      if (c.hours !== undefined) {
        return fail(
          ctx,
          `expected hours only with rate (they shape a Poisson rate), got them with ${given[0]}`,
          ["hours"],
        );
      }
      if (c.timezone !== undefined) {
        return fail(ctx, `expected timezone only with rate and hours, got it with ${given[0]}`, ["timezone"]);
      }
      if (c.every !== undefined) return { preset: c.preset, arrivals: { kind: "every", every: c.every } };
      return { preset: c.preset, arrivals: { kind: "at", offsets: c.at ?? [] } };
    }
    if (c.hours === undefined) {
      if (c.timezone !== undefined) {
        return fail(ctx, "expected hours next to timezone (it says whose local hours they are), got none", [
          "timezone",
        ]);
      }
      return { preset: c.preset, arrivals: { kind: "poisson", perHour: c.rate, diurnal: null } };
    }
    const resolved = resolveHourMultipliers(c.hours);
    if (!resolved.ok) {
      // A malformed or overlapping key is shown where it is spelt; a gap, on the whole mapping.
      for (const p of resolved.problems) {
        const atKey = p.key !== undefined;
        addProblem(ctx, p.message, p.key === undefined ? ["hours"] : ["hours", p.key], atKey);
      }
      return z.NEVER;
    }
    const diurnal = { timezone: c.timezone ?? "UTC", multipliers: resolved.multipliers };
    return { preset: c.preset, arrivals: { kind: "poisson", perHour: c.rate, diurnal } };
  });

const templateRef = z.strictObject({ template: templateNameField });
const ACTION_KEYS = ["promote", "setDesired", "pause", "invalidate", "deprecate", "deleteTemplate"] as const;

const eventSchema = z
  .strictObject({
    /** Offset from `start`. */
    at: durationField("nonNegative"),
    promote: z.strictObject({ template: templateNameField, version: versionNameField }).optional(),
    setDesired: z
      .strictObject({
        template: templateNameField,
        version: versionNameField,
        preset: presetNameField,
        instances: integerField(0),
      })
      .optional(),
    pause: booleanField.optional(),
    invalidate: templateRef.optional(),
    deprecate: z
      .strictObject({
        template: templateNameField,
        /** Coder marks a template deprecated with a non-empty message. */
        message: z
          .string({ error: "expected a deprecation message" })
          .min(1, { error: "expected a deprecation message" })
          .prefault("deprecated by the scenario"),
      })
      .optional(),
    deleteTemplate: templateRef.optional(),
  })
  .transform((e, ctx): OperatorAction & { atOffset: Duration } => {
    const [action, ...others] = ACTION_KEYS.filter((k) => e[k] !== undefined);
    if (action === undefined || others.length > 0) {
      const got = action === undefined ? "none" : [action, ...others].join(" and ");
      return fail(ctx, `expected exactly one action (${ACTION_KEYS.join(", ")}), got ${got}`);
    }
    const atOffset = e.at;
    switch (action) {
      case "promote":
        return { atOffset, kind: "promote", ...e.promote! };
      case "setDesired":
        return { atOffset, kind: "setDesired", ...e.setDesired! };
      case "pause":
        return { atOffset, kind: "pause", paused: e.pause! };
      case "invalidate":
        return { atOffset, kind: "invalidate", ...e.invalidate! };
      case "deprecate":
        return { atOffset, kind: "deprecate", ...e.deprecate! };
      case "deleteTemplate":
        return { atOffset, kind: "deleteTemplate", ...e.deleteTemplate! };
    }
  });

/** Default virtual start instant. */
export const DEFAULT_START = "2024-01-01T00:00:00Z";

export const scenarioFileSchema = z.strictObject(
  {
    name: nameField,
    description: z.string({ error: "expected a text" }).prefault(""),
    /** The default seed; the command line's --seed overrides it. */
    seed: integerField(0).prefault(1),
    start: instantField.prefault(DEFAULT_START),
    duration: durationField("positive"),
    /** Defaults to settings.reconciliationInterval (applied by normalise.ts, it depends on another field). */
    sampleEvery: durationField("positive").optional(),
    // Upstream defaults (spec §1.5).
    settings: z
      .strictObject({
        reconciliationInterval: durationField("positive").prefault("PT1M"),
        reconciliationBackoffInterval: durationField("nonNegative").prefault("PT1M"),
        reconciliationBackoffLookback: durationField("nonNegative").prefault("PT1H"),
        failureHardLimit: integerField(0).prefault(3),
        maxDBConnections: integerField(1).prefault(10),
      })
      .prefault({}),
    database: z
      .strictObject({ latency: distributionField.prefault({ median: "PT0.002S", p90: "PT0.010S" }) })
      .prefault({}),
    replicas: replicasSchema,
    provisioners: z
      .strictObject({
        /** Coder's default number of built-in provisioner daemons. */
        daemons: integerField(1).prefault(3),
        prebuildDaemons: integerField(0).prefault(0),
        pollInterval: durationField("positive").prefault("PT1S"),
        buildTime: distributionField.prefault({ median: "PT2M", p90: "PT5M" }),
        deleteTime: distributionField.prefault({ fixed: "PT30S" }),
        agentReadyAfter: distributionField.prefault({ fixed: "PT20S" }),
        agentReinitAfter: distributionField.optional().meta({
          description:
            "From a claim build's success to the claimed workspace's agent being ready again as the new owner's: " +
            "the agent receives the claim's reinitialization event, fetches its new manifest and runs its startup " +
            "scripts again. Default: agentReadyAfter (upstream's agent goes through the same start path). " +
            "E.g. {fixed: PT15S} or {median: PT20S, p90: PT1M}.",
          // zod leaves `examples` of a transforming field out of the input JSON Schema; the
          // description carries them for editors.
          examples: [{ fixed: "PT15S" }, { median: "PT20S", p90: "PT1M" }],
        }),
        failureRate: probabilityField.prefault(0),
      })
      .prefault({}),
    /** `default` always exists, listed or not. */
    organizations: z.array(organizationNameField).prefault(["default"]),
    templates: z.array(templateSchema).min(1, { error: "expected at least one template" }),
    users: z.strictObject({ count: integerField(0).prefault(10) }).prefault({}),
    workload: z.strictObject({ claims: z.array(claimSchema).prefault([]) }).prefault({}),
    events: z.array(eventSchema).prefault([]),
    faults: z.array(faultSchema).prefault([]),
    expect: z
      .strictObject({
        convergeWithin: durationField("positive").prefault("PT30M"),
        allow: z.array(z.enum(INVARIANT_NAMES)).prefault([]),
        reach: z
          .array(z.enum(PROBE_NAMES))
          .prefault([])
          .meta({
            description:
              'Coverage probes this scenario exists to reach: `run` and `suite` fail the run ("probe X never reached") when one of them stays at zero.',
            examples: [["lock-lost-overlap"], ["backoff-engaged", "hard-limit-reached"]],
          }),
        maxHumanQueueWait: durationField("positive")
          .prefault("PT30M")
          .meta({
            description:
              "The longest a person's build may wait in the provisioner queue before it is taken (invariant human-queue-bounded); a wait still running at the end counts up to the end.",
            examples: ["PT10M", "PT1H"],
          }),
      })
      .prefault({}),
  },
  { error: notAMapping("expected a mapping of scenario fields (name, duration, templates, …)") },
);

/** A scenario as written (the input of the schema), e.g. for generated scenarios. */
export type ScenarioFile = z.input<typeof scenarioFileSchema>;
/** A scenario after the schema: defaulted and in kernel units, references not yet resolved. */
export type ParsedScenarioFile = z.output<typeof scenarioFileSchema>;
