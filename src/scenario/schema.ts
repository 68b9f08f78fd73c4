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
  CRON_PATTERN,
  distributionField,
  durationField,
  fail,
  HOUR_KEY_PATTERN,
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
import { TIME_ZONE_NAMES } from "./timeZoneNames.ts";

const BOOLEAN_EXPECTED = "expected true or false";
const booleanField = z
  .boolean({ error: BOOLEAN_EXPECTED })
  .meta({ description: "true or false.", examples: [true, false] });

/** Parameter values are strings in Coder; a bare YAML number would lose its spelling (`2.50` → 2.5). */
const parameterValueField = z.string({ error: 'expected a string (quote numbers, like "2")' }).meta({
  description: 'A parameter value: a string (quote numbers, like "2").',
  examples: ["eu-west", "2"],
});

const templateParameterSchema = z.strictObject({
  name: z
    .string({ error: "expected a parameter name" })
    .min(1, { error: "expected a parameter name" })
    .meta({ description: "The parameter's name.", examples: ["region"] }),
  required: booleanField.prefault(false).meta({
    description: "A preset that gives no value for a required parameter cannot be built.",
    examples: [true],
  }),
  default: parameterValueField
    .optional()
    .meta({ description: "The value used when a preset gives none.", examples: ["eu-west"] }),
  immutable: booleanField
    .prefault(false)
    .meta({ description: "Whether the value may change after the workspace is created.", examples: [false] }),
});

const prebuildScheduleSchema = z.strictObject({
  /** Checked with the whole block below, as the Terraform provider checks it. */
  cron: z.string({ error: 'expected a time-range cron spec like "* 8-18 * * 1-5"' }).meta({
    description:
      "A time-range cron spec (minute field *): hours, day of month, month, day of week, in the scheduling timezone.",
    examples: ["* 8-18 * * 1-5", "* 9 * * *"],
    pattern: CRON_PATTERN,
  }),
  instances: integerField(0).meta({
    description: "How many prebuilds while the schedule matches.",
    examples: [4],
  }),
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
    timezone: z.string({ error: 'expected an IANA time zone name like "Europe/Berlin"' }).meta({
      description:
        "The zone the schedules' hours are in: a name Go's time.LoadLocation accepts (case-sensitive), as the provider checks it.",
      examples: ["Europe/Berlin", "UTC"],
      enum: [...TIME_ZONE_NAMES],
    }),
    schedules: z
      .array(prebuildScheduleSchema)
      .prefault([])
      .meta({
        description: "Schedules; the first that matches sets the count.",
        examples: [[{ cron: "* 8-18 * * 1-5", instances: 6 }]],
      }),
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
  desiredInstances: integerField(0)
    .optional()
    .meta({
      description: "How many prebuilt workspaces to keep ready; absent: the preset has no prebuilds.",
      examples: [2],
    }),
  parameters: z
    .record(z.string(), parameterValueField, { error: "expected a mapping of parameter names to values" })
    .prefault({})
    .meta({
      description: "Parameter values of the preset, by parameter name.",
      examples: [{ region: "eu-west" }],
    }),
  /** invalidate_after_secs: whole seconds. */
  ttl: durationField("positive", { wholeSeconds: true })
    .optional()
    .meta({
      description: "invalidate_after_secs: a prebuild older than this is replaced (whole seconds).",
      examples: ["PT1H"],
    }),
  failureRate: probabilityField.optional().meta({
    description: "The chance that a build of this preset fails (default: provisioners.failureRate).",
    examples: [0.1],
  }),
  drift: z
    .strictObject({
      replaceOnClaim: probabilityField
        .prefault(0)
        .meta({ description: "The chance that a claim's build replaces resources.", examples: [0.2] }),
    })
    .prefault({})
    .meta({ description: "Resource drift when a prebuild is claimed.", examples: [{ replaceOnClaim: 0.2 }] }),
  buildTime: distributionField.optional().meta({
    description: "How long a start build of this preset takes (default: provisioners.buildTime).",
    examples: [{ median: "PT6M", p90: "PT12M" }],
  }),
  deleteTime: distributionField.optional().meta({
    description: "How long a delete build of this preset takes (default: provisioners.deleteTime).",
    examples: [{ fixed: "PT1M" }],
  }),
  agentReadyAfter: distributionField.optional().meta({
    description:
      "How long after a start build of this preset its agent is ready (default: provisioners.agentReadyAfter).",
    examples: [{ fixed: "PT45S" }],
  }),
  scheduling: presetSchedulingSchema.optional().meta({
    description: "Time-based prebuild counts (spec \u00a73.5); desiredInstances applies outside them.",
    examples: [{ timezone: "Europe/Berlin", schedules: [{ cron: "* 8-18 * * 1-5", instances: 6 }] }],
  }),
});

const templateVersionSchema = z.strictObject({
  name: versionNameField,
  /** The first version is active unless one says `active: true`. */
  active: booleanField
    .optional()
    .meta({ description: "The active version (default: the first one).", examples: [true] }),
  parameters: z
    .array(templateParameterSchema)
    .prefault([])
    .meta({ description: "The version's parameters.", examples: [[{ name: "region", default: "eu-west" }]] }),
  presets: z
    .array(presetSchema)
    .prefault([])
    .meta({ description: "The version's presets.", examples: [[{ name: "small", desiredInstances: 2 }]] }),
});

const templateSchema = z.strictObject({
  name: templateNameField,
  organization: organizationNameField.prefault("default"),
  versions: z
    .array(templateVersionSchema)
    .min(1, { error: "expected at least one version" })
    .meta({
      description: "The template's versions, at least one.",
      examples: [[{ name: "v1", presets: [{ name: "small", desiredInstances: 2 }] }]],
    }),
});

const REPLICAS_EXPECTED = "expected {count: N} or a list like [{name: a}, {name: b, clockSkew: PT2S}]";

const replicasSchema = z
  .union(
    [
      z
        .strictObject({
          count: integerField(1).meta({
            description: "How many replicas, named replica-0, replica-1, \u2026.",
            examples: [3],
          }),
        })
        .transform(({ count }): Replica[] =>
          Array.from({ length: count }, (_, i) => ({ name: `replica-${i}`, clockSkew: 0 })),
        ),
      z
        .array(
          z.strictObject({
            name: nameField.meta({ description: "The replica's name.", examples: ["a"] }),
            clockSkew: durationField("signed")
              .prefault("PT0S")
              .meta({ description: "How far the replica's clock is off.", examples: ["PT2S"] }),
          }),
        )
        .min(1, { error: "expected at least one replica" }),
    ],
    { error: REPLICAS_EXPECTED },
  )
  .prefault({ count: 1 })
  .meta({
    description: "Coder replicas running the reconciler: {count: N} or a list of named replicas.",
    examples: [{ count: 3 }, [{ name: "a" }, { name: "b", clockSkew: "PT2S" }]],
  });

/** Claim arrivals as the file gives them; `at` offsets become instants once `start` is known. */
export type ClaimArrivalsInFile =
  | { readonly kind: "poisson"; readonly perHour: number; readonly diurnal: DiurnalShape | null }
  | { readonly kind: "every"; readonly every: Duration }
  | { readonly kind: "at"; readonly offsets: readonly Duration[] };

const ARRIVAL_KEYS = ["rate", "every", "at"] as const;

const WEEKEND_EXPECTED =
  'expected a factor (0 or more) on the weekday shape, or a mapping of local hours to factors like {"10-16": 0.3, "*": 0.05}';

/** What a stream's requests are, for the fields' descriptions: "claims" or "builds". */
type Requests = "claims" | "builds";

/** The fields that say when a stream's requests arrive, shared by claim and build streams. */
function arrivalFields(requests: Requests) {
  return {
    rate: rateField.optional().meta({ description: `Poisson ${requests} at this rate.`, examples: ["12/h"] }),
    every: durationField("positive")
      .optional()
      .meta({
        description: `One ${requests === "claims" ? "claim" : "build"} at each multiple of this interval.`,
        examples: ["PT10M"],
      }),
    at: z
      .array(durationField("nonNegative"))
      .optional()
      .meta({
        description: `${requests === "claims" ? "Claims" : "Builds"} at these offsets from start.`,
        examples: [["PT5M", "PT20M"]],
      }),
    stream: integerField(0)
      .optional()
      .meta({
        description:
          "The number of the random stream its arrivals are drawn from (default: its position in the list, from 0). prebuildsim shrink writes it when it drops an earlier stream, so this one's " +
          `${requests} stay as they were.`,
        examples: [2],
      }),
    timezone: timeZoneField.optional().meta({
      description: "The zone of the hours' keys and of the weekend (default UTC).",
      examples: ["Europe/Berlin"],
    }),
    hours: z
      .record(z.string(), multiplierField)
      .optional()
      .meta({
        description:
          "The rate's factor by local hour: keys are hours (9), ranges (9-11) or * for the rest; every hour covered once.",
        examples: [{ "7-8": 0.5, "9-11": 2.5, "*": 0.2 }],
        propertyNames: { pattern: HOUR_KEY_PATTERN },
      }),
    weekend: z
      .union([multiplierField, z.record(z.string(), multiplierField)], { error: WEEKEND_EXPECTED })
      .optional()
      .meta({
        description:
          "The shape on Saturdays and Sundays in timezone: a factor on the hours' multipliers (0.2: a fifth of the weekday rate), or its own multipliers by local hour, keyed like hours. Absent: every day alike.",
        examples: [0.2, { "10-16": 0.3, "*": 0.05 }],
      }),
  };
}

/** The JSON Schema's share of the arrival rules: one of rate, every, at; hours and weekend shape a rate. */
const ARRIVALS_JSON_SCHEMA = {
  oneOf: ARRIVAL_KEYS.map((k) => ({ required: [k] })),
  dependentRequired: { hours: ["rate"], weekend: ["rate"] },
  // timezone says whose hours or whose weekend.
  dependentSchemas: { timezone: { anyOf: [{ required: ["hours"] }, { required: ["weekend"] }] } },
};

interface ArrivalFieldsInFile {
  readonly rate?: number | undefined;
  readonly every?: Duration | undefined;
  readonly at?: Duration[] | undefined;
  readonly timezone?: string | undefined;
  readonly hours?: Record<string, number> | undefined;
  readonly weekend?: number | Record<string, number> | undefined;
}

/** The 24 multipliers of an hours mapping; its problems reported under `key` (hours or weekend). */
function multipliersOf(
  map: Record<string, number>,
  key: "hours" | "weekend",
  ctx: Parameters<typeof addProblem>[0],
): readonly number[] | undefined {
  const resolved = resolveHourMultipliers(map);
  if (resolved.ok) return resolved.multipliers;
  // A malformed or overlapping key is shown where it is spelt; a gap, on the whole mapping.
  for (const p of resolved.problems) {
    const atKey = p.key !== undefined;
    addProblem(ctx, p.message, p.key === undefined ? [key] : [key, p.key], atKey);
  }
  return undefined;
}

/** When a stream's requests arrive: exactly one of rate, every or at; hours, weekend and timezone shape a rate. */
function arrivalsOf(c: ArrivalFieldsInFile, ctx: Parameters<typeof addProblem>[0]): ClaimArrivalsInFile {
  const given = ARRIVAL_KEYS.filter((k) => c[k] !== undefined);
  if (given.length !== 1) {
    const got = given.length === 0 ? "none" : given.join(" and ");
    return fail(ctx, `expected exactly one of rate, every or at, got ${got}`);
  }
  if (c.rate === undefined) {
    for (const key of ["hours", "weekend"] as const)
      if (c[key] !== undefined)
        return fail(
          ctx,
          `expected ${key} only with rate (${key === "hours" ? "they shape" : "it shapes"} a Poisson rate), got ${key === "hours" ? "them" : "it"} with ${given[0]}`,
          [key],
        );
    if (c.timezone !== undefined) {
      return fail(ctx, `expected timezone only with rate and hours, got it with ${given[0]}`, ["timezone"]);
    }
    if (c.every !== undefined) return { kind: "every", every: c.every };
    return { kind: "at", offsets: c.at ?? [] };
  }
  if (c.hours === undefined && c.weekend === undefined) {
    if (c.timezone !== undefined) {
      return fail(ctx, "expected hours next to timezone (it says whose local hours they are), got none", [
        "timezone",
      ]);
    }
    return { kind: "poisson", perHour: c.rate, diurnal: null };
  }
  // No hours: the same rate at every hour of a weekday.
  const weekday =
    c.hours === undefined ? new Array<number>(24).fill(1) : multipliersOf(c.hours, "hours", ctx);
  const weekend =
    c.weekend === undefined || weekday === undefined
      ? undefined
      : typeof c.weekend === "number"
        ? weekday.map((m) => m * (c.weekend as number))
        : multipliersOf(c.weekend, "weekend", ctx);
  if (weekday === undefined || (c.weekend !== undefined && weekend === undefined)) return z.NEVER;
  const diurnal: DiurnalShape = {
    timezone: c.timezone ?? "UTC",
    multipliers: weekday,
    ...(weekend === undefined ? {} : { weekend }),
  };
  return { kind: "poisson", perHour: c.rate, diurnal };
}

interface ClaimInFile {
  preset: PresetRef;
  arrivals: ClaimArrivalsInFile;
  stream?: number;
}

const claimSchema = z
  .strictObject({
    preset: presetRefField.meta({
      description: "The preset people claim, as template/preset.",
      examples: ["dev/small"],
    }),
    ...arrivalFields("claims"),
  })
  .meta({
    description: "A stream of claims on one preset: exactly one of rate, every or at.",
    examples: [
      { preset: "dev/small", rate: "12/h" },
      { preset: "dev/small", every: "PT10M" },
    ],
    ...ARRIVALS_JSON_SCHEMA,
  })
  .transform((c, ctx): ClaimInFile => {
    const arrivals = arrivalsOf(c, ctx);
    return { preset: c.preset, arrivals, ...(c.stream === undefined ? {} : { stream: c.stream }) };
  });

/** A stream of people's ordinary builds as the file gives it; the template is resolved later. */
export interface BuildStreamInFile {
  template?: string;
  arrivals: ClaimArrivalsInFile;
  stream?: number;
}

const buildSchema = z
  .strictObject({
    template: templateNameField.optional().meta({
      description: "The template people build ordinary workspaces from (default: the first template).",
      examples: ["dev"],
    }),
    ...arrivalFields("builds"),
  })
  .meta({
    description:
      "A stream of people's ordinary workspace builds (no preset, no claim) on a template's active version: their jobs wait in the provisioner queue like any other, FIFO by creation. Exactly one of rate, every or at.",
    examples: [
      { template: "dev", rate: "6/h" },
      { rate: "4/h", timezone: "Europe/Berlin", hours: { "8-17": 2, "*": 0.2 }, weekend: 0.1 },
    ],
    ...ARRIVALS_JSON_SCHEMA,
  })
  .transform((b, ctx): BuildStreamInFile => {
    const arrivals = arrivalsOf(b, ctx);
    return {
      ...(b.template === undefined ? {} : { template: b.template }),
      arrivals,
      ...(b.stream === undefined ? {} : { stream: b.stream }),
    };
  });

const templateRef = z.strictObject({ template: templateNameField });
const ACTION_KEYS = ["promote", "setDesired", "pause", "invalidate", "deprecate", "deleteTemplate"] as const;

const eventSchema = z
  .strictObject({
    /** Offset from `start`. */
    at: durationField("nonNegative").meta({
      description: "When, as an offset from start.",
      examples: ["PT30M"],
    }),
    promote: z
      .strictObject({
        template: templateNameField,
        version: versionNameField,
      })
      .optional()
      .meta({
        description: "Make a version the active one.",
        examples: [{ template: "dev", version: "v2" }],
      }),
    setDesired: z
      .strictObject({
        template: templateNameField,
        version: versionNameField,
        preset: presetNameField,
        instances: integerField(0).meta({ description: "The new desiredInstances.", examples: [5] }),
      })
      .optional()
      .meta({
        description: "Change a preset's desiredInstances.",
        examples: [{ template: "dev", version: "v1", preset: "small", instances: 5 }],
      }),
    pause: booleanField
      .optional()
      .meta({ description: "Pause (true) or resume (false) the reconciler.", examples: [true] }),
    invalidate: templateRef.optional().meta({
      description: "Invalidate the template's prebuilds (they are replaced).",
      examples: [{ template: "dev" }],
    }),
    deprecate: z
      .strictObject({
        template: templateNameField,
        /** Coder marks a template deprecated with a non-empty message. */
        message: z
          .string({ error: "expected a deprecation message" })
          .min(1, { error: "expected a deprecation message" })
          .prefault("deprecated by the scenario")
          .meta({ description: "The deprecation message.", examples: ["use prod instead"] }),
      })
      .optional()
      .meta({
        description: "Deprecate a template.",
        examples: [{ template: "dev", message: "use prod instead" }],
      }),
    deleteTemplate: templateRef
      .optional()
      .meta({ description: "Delete a template.", examples: [{ template: "dev" }] }),
  })
  .meta({
    description: "An operator action at an instant: at and exactly one action.",
    examples: [
      { at: "PT30M", promote: { template: "dev", version: "v2" } },
      { at: "PT1H", pause: true },
    ],
    oneOf: ACTION_KEYS.map((k) => ({ required: [k] })),
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
    name: nameField.meta({
      description: "The scenario's name (run directories are named after it).",
      examples: ["steady-state"],
    }),
    description: z
      .string({ error: "expected a text" })
      .prefault("")
      .meta({ description: "What the scenario shows.", examples: ["Pools fill and stay full."] }),
    /** The default seed; the command line's --seed overrides it. */
    seed: integerField(0)
      .prefault(1)
      .meta({ description: "The default seed (--seed overrides it).", examples: [7] }),
    start: instantField
      .prefault(DEFAULT_START)
      .meta({ description: "The virtual start instant.", examples: ["2026-03-02T06:00:00Z"] }),
    duration: durationField("positive").meta({
      description: "How much virtual time the run covers.",
      examples: ["PT8H"],
    }),
    /** Defaults to settings.reconciliationInterval (applied by normalise.ts, it depends on another field). */
    sampleEvery: durationField("positive")
      .optional()
      .meta({
        description: "The time series' sample interval (default: settings.reconciliationInterval).",
        examples: ["PT30S"],
      }),
    // Upstream defaults (spec §1.5).
    settings: z
      .strictObject({
        reconciliationInterval: durationField("positive")
          .prefault("PT1M")
          .meta({ description: "How often each replica reconciles.", examples: ["PT1M"] }),
        reconciliationBackoffInterval: durationField("nonNegative")
          .prefault("PT1M")
          .meta({ description: "The backoff after failed prebuild builds.", examples: ["PT1M"] }),
        reconciliationBackoffLookback: durationField("nonNegative")
          .prefault("PT1H")
          .meta({ description: "How far back failed builds count for the backoff.", examples: ["PT1H"] }),
        failureHardLimit: integerField(0)
          .prefault(3)
          .meta({
            description: "Failed prebuilds in a row that stop a preset (0: no limit).",
            examples: [3],
          }),
        maxDBConnections: integerField(1)
          .prefault(10)
          .meta({ description: "The database connection pool size.", examples: [10] }),
      })
      .prefault({})
      .meta({
        description: "The reconciler's settings (upstream defaults).",
        examples: [{ reconciliationInterval: "PT30S" }],
      }),
    database: z
      .strictObject({
        latency: distributionField.prefault({ median: "PT0.002S", p90: "PT0.010S" }).meta({
          description: "How long each query takes.",
          examples: [{ median: "PT0.002S", p90: "PT0.010S" }],
        }),
      })
      .prefault({})
      .meta({ description: "The simulated database.", examples: [{ latency: { fixed: "PT0.005S" } }] }),
    replicas: replicasSchema,
    provisioners: z
      .strictObject({
        /** Coder's default number of built-in provisioner daemons. */
        daemons: integerField(1)
          .prefault(3)
          .meta({ description: "Provisioner daemons.", examples: [3] }),
        prebuildDaemons: integerField(0)
          .prefault(0)
          .meta({ description: "Of those, daemons that take prebuild jobs only.", examples: [1] }),
        pollInterval: durationField("positive")
          .prefault("PT30S")
          .meta({
            description:
              "The acquirer's backup poll: how often each group of idle daemons that take the same jobs looks for one besides job postings (upstream: 30 s).",
            examples: ["PT30S"],
          }),
        buildTime: distributionField.prefault({ median: "PT2M", p90: "PT5M" }).meta({
          description: "How long a start build takes.",
          examples: [{ median: "PT2M", p90: "PT5M" }],
        }),
        deleteTime: distributionField
          .prefault({ fixed: "PT30S" })
          .meta({ description: "How long a delete build takes.", examples: [{ fixed: "PT30S" }] }),
        agentReadyAfter: distributionField.prefault({ fixed: "PT20S" }).meta({
          description: "How long after the build the agent is ready.",
          examples: [{ fixed: "PT20S" }],
        }),
        agentReinitAfter: distributionField.optional().meta({
          description:
            "From a claim build's success to the claimed workspace's agent being ready again as the new owner's: " +
            "the agent receives the claim's reinitialization event, fetches its new manifest and runs its startup " +
            "scripts again. Default: agentReadyAfter (upstream's agent goes through the same start path). " +
            "E.g. {fixed: PT15S} or {median: PT20S, p90: PT1M}.",
          examples: [{ fixed: "PT15S" }, { median: "PT20S", p90: "PT1M" }],
        }),
        failureRate: probabilityField
          .prefault(0)
          .meta({ description: "The chance that a build fails.", examples: [0.02] }),
      })
      .prefault({})
      .meta({ description: "The provisioners.", examples: [{ daemons: 4 }] }),
    /** `default` always exists, listed or not. */
    organizations: z
      .array(organizationNameField)
      .prefault(["default"])
      .meta({ description: "Organizations (default always exists).", examples: [["default", "acme"]] }),
    templates: z
      .array(templateSchema)
      .min(1, { error: "expected at least one template" })
      .meta({
        description: "The templates, at least one.",
        examples: [
          [{ name: "dev", versions: [{ name: "v1", presets: [{ name: "small", desiredInstances: 2 }] }] }],
        ],
      }),
    users: z
      .strictObject({
        count: integerField(0)
          .prefault(10)
          .meta({ description: "How many users claim.", examples: [10] }),
      })
      .prefault({})
      .meta({ description: "The simulated users.", examples: [{ count: 20 }] }),
    workload: z
      .strictObject({
        claims: z
          .array(claimSchema)
          .prefault([])
          .meta({ description: "Claim streams.", examples: [[{ preset: "dev/small", rate: "12/h" }]] }),
        builds: z
          .array(buildSchema)
          .prefault([])
          .meta({
            description:
              "People's ordinary workspace builds (no preset), which share the provisioner queue with prebuilds.",
            examples: [[{ template: "dev", rate: "6/h" }]],
          }),
      })
      .prefault({})
      .meta({
        description: "What people do.",
        examples: [{ claims: [{ preset: "dev/small", rate: "12/h" }] }],
      }),
    events: z
      .array(eventSchema)
      .prefault([])
      .meta({
        description: "Operator actions.",
        examples: [[{ at: "PT30M", promote: { template: "dev", version: "v2" } }]],
      }),
    faults: z
      .array(faultSchema)
      .prefault([])
      .meta({
        description: "Faults.",
        examples: [[{ kind: "provisioner-outage", at: "PT20M", duration: "PT5M" }]],
      }),
    expect: z
      .strictObject({
        convergeWithin: durationField("positive")
          .prefault("PT30M")
          .meta({
            description: "How soon after the last event or fault the pools must converge.",
            examples: ["PT30M"],
          }),
        allow: z
          .array(z.enum(INVARIANT_NAMES))
          .prefault([])
          .meta({
            description: "Invariants whose violations are known upstream behaviour and do not fail the run.",
            examples: [["no-leaked-prebuilds"]],
          }),
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
      .prefault({})
      .meta({ description: "The expected verdict.", examples: [{ convergeWithin: "PT20M" }] }),
  },
  { error: notAMapping("expected a mapping of scenario fields (name, duration, templates, …)") },
);

/** A scenario as written (the input of the schema), e.g. for generated scenarios. */
export type ScenarioFile = z.input<typeof scenarioFileSchema>;
/** A scenario after the schema: defaulted and in kernel units, references not yet resolved. */
export type ParsedScenarioFile = z.output<typeof scenarioFileSchema>;
