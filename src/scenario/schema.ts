// The scenario file format (SCENARIOS.md §1) as a zod schema: strict mappings (an unknown key is
// an error, typos must not pass silently), the documented defaults, and every scalar parsed into
// kernel units. What one field alone can check is checked here; what needs the whole file
// (references, duplicates, windows inside the duration) is checked by `normalise.ts`.
import { z } from "zod";
import type { Duration } from "../clock/types.ts";
import { QUERY_NAMES } from "../db/queries/names.ts";
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
  presetRefField,
  probabilityField,
  rateField,
  timeZoneField,
} from "./fields.ts";
import {
  type DiurnalShape,
  FAULT_KINDS,
  INVARIANT_NAMES,
  type OperatorAction,
  type PresetRef,
  type Replica,
} from "./scenario.ts";

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
  cron: z
    .string({ error: 'expected a time-range cron spec like "* 8-18 * * 1-5"' })
    .min(1, { error: 'expected a time-range cron spec like "* 8-18 * * 1-5"' })
    .meta({
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

const presetSchema = z.strictObject({
  name: nameField.meta({ description: "The preset's name, unique in its version.", examples: ["small"] }),
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
  scheduling: z
    .strictObject({
      timezone: timeZoneField.meta({
        description: "The zone the schedules' hours are in.",
        examples: ["Europe/Berlin"],
      }),
      schedules: z
        .array(prebuildScheduleSchema)
        .prefault([])
        .meta({
          description: "Schedules; the first that matches sets the count.",
          examples: [[{ cron: "* 8-18 * * 1-5", instances: 6 }]],
        }),
    })
    .optional()
    .meta({
      description: "Time-based prebuild counts (spec \u00a73.5); desiredInstances applies outside them.",
      examples: [{ timezone: "Europe/Berlin", schedules: [{ cron: "* 8-18 * * 1-5", instances: 6 }] }],
    }),
});

const templateVersionSchema = z.strictObject({
  name: nameField.meta({ description: "The version's name, unique in its template.", examples: ["v1"] }),
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
  name: nameField.meta({ description: "The template's name, unique in the scenario.", examples: ["dev"] }),
  organization: nameField
    .prefault("default")
    .meta({ description: "The organization owning the template.", examples: ["default"] }),
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

const claimSchema = z
  .strictObject({
    preset: presetRefField.meta({
      description: "The preset people claim, as template/preset.",
      examples: ["dev/small"],
    }),
    rate: rateField.optional().meta({ description: "Poisson claims at this rate.", examples: ["12/h"] }),
    every: durationField("positive")
      .optional()
      .meta({ description: "One claim at each multiple of this interval.", examples: ["PT10M"] }),
    at: z
      .array(durationField("nonNegative"))
      .optional()
      .meta({ description: "Claims at these offsets from start.", examples: [["PT5M", "PT20M"]] }),
    timezone: timeZoneField
      .optional()
      .meta({ description: "The zone of the hours' keys (default UTC).", examples: ["Europe/Berlin"] }),
    hours: z
      .record(z.string(), multiplierField)
      .optional()
      .meta({
        description:
          "The rate's factor by local hour: keys are hours (9), ranges (9-11) or * for the rest; every hour covered once.",
        examples: [{ "7-8": 0.5, "9-11": 2.5, "*": 0.2 }],
        propertyNames: { pattern: HOUR_KEY_PATTERN },
      }),
  })
  .meta({
    description: "A stream of claims on one preset: exactly one of rate, every or at.",
    examples: [
      { preset: "dev/small", rate: "12/h" },
      { preset: "dev/small", every: "PT10M" },
    ],
    oneOf: ARRIVAL_KEYS.map((k) => ({ required: [k] })),
    // hours shape a rate; timezone says whose hours.
    dependentRequired: { hours: ["rate"], timezone: ["hours"] },
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

const templateRef = z.strictObject({
  template: nameField.meta({ description: "The template's name.", examples: ["dev"] }),
});
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
        template: nameField.meta({ description: "The template's name.", examples: ["dev"] }),
        version: nameField.meta({ description: "The version to make active.", examples: ["v2"] }),
      })
      .optional()
      .meta({
        description: "Make a version the active one.",
        examples: [{ template: "dev", version: "v2" }],
      }),
    setDesired: z
      .strictObject({
        template: nameField.meta({ description: "The template's name.", examples: ["dev"] }),
        version: nameField.meta({ description: "The version's name.", examples: ["v1"] }),
        preset: nameField.meta({ description: "The preset's name.", examples: ["small"] }),
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
        template: nameField.meta({ description: "The template's name.", examples: ["dev"] }),
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

/** A replica by number (0 is the first) or by name. */
const replicaRefField = z
  .union([integerField(0), nameField], {
    error: "expected a replica number (0 is the first) or a replica name",
  })
  .meta({ description: "The replica, by number (0 is the first) or name.", examples: [0, "a"] });
const faultAt = durationField("nonNegative").meta({
  description: "When the fault starts, as an offset from start.",
  examples: ["PT20M"],
});
const faultDuration = durationField("positive").meta({
  description: "How long the fault lasts.",
  examples: ["PT5M"],
});
/** A fault's kind, documented for editors. */
const faultKind = <K extends string>(kind: K) =>
  z.literal(kind).meta({ description: "The kind of fault.", examples: [kind] });

const faultSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: faultKind("provisioner-outage"), at: faultAt, duration: faultDuration }),
    z.strictObject({
      kind: faultKind("build-failures"),
      at: faultAt,
      duration: faultDuration,
      rate: probabilityField.meta({
        description: "The chance that a build fails meanwhile.",
        examples: [0.5],
      }),
      preset: presetRefField
        .optional()
        .meta({ description: "Only this preset's builds (default: all).", examples: ["dev/small"] }),
      transition: z
        .enum(["start", "stop", "delete"])
        .optional()
        .meta({ description: "Only builds of this transition (default: all).", examples: ["start"] }),
    }),
    z.strictObject({ kind: faultKind("lock-connection-lost"), at: faultAt, replica: replicaRefField }),
    z.strictObject({
      kind: faultKind("replica-crash"),
      at: faultAt,
      replica: replicaRefField,
      restartAfter: durationField("positive")
        .optional()
        .meta({ description: "The replica restarts after this long (default: never).", examples: ["PT2M"] }),
    }),
    z.strictObject({
      kind: faultKind("db-errors"),
      at: faultAt,
      duration: faultDuration,
      rate: probabilityField.meta({
        description: "The chance that a query fails meanwhile.",
        examples: [0.2],
      }),
      query: z
        .enum(QUERY_NAMES, { error: "expected a query name of the store, like GetRunningPrebuiltWorkspaces" })
        .optional()
        .meta({ description: "Only this query (default: all).", examples: ["GetRunningPrebuiltWorkspaces"] }),
    }),
    z.strictObject({ kind: faultKind("notification-queue-full"), at: faultAt, duration: faultDuration }),
    z.strictObject({
      kind: faultKind("clock-skew"),
      at: faultAt,
      replica: replicaRefField,
      offset: durationField("signed").meta({
        description: "How far the replica's clock jumps.",
        examples: ["PT5S"],
      }),
    }),
  ],
  { error: `expected a fault with kind: one of ${FAULT_KINDS.join(", ")}` },
);

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
          .prefault("PT1S")
          .meta({ description: "How often an idle daemon polls for a job.", examples: ["PT1S"] }),
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
        failureRate: probabilityField
          .prefault(0)
          .meta({ description: "The chance that a build fails.", examples: [0.02] }),
      })
      .prefault({})
      .meta({ description: "The provisioners.", examples: [{ daemons: 4 }] }),
    /** `default` always exists, listed or not. */
    organizations: z
      .array(nameField)
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
