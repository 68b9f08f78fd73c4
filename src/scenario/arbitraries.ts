// fast-check arbitraries of valid scenarios, for property tests of the layers that run them. They
// are small on purpose (1–3 replicas, 1–2 templates, 1–3 presets per version, at most 4 hours of
// virtual time) so a property can run many of them; every reference they make is to something
// they generated. Test-only: fast-check is a development dependency, so nothing in `src/` that
// runs in production imports this file.

import fc from "fast-check";
import { HOUR, MINUTE, SECOND } from "../clock/types.ts";
import { FAULT_MODULES } from "../world/faults/registry.ts";
import { formatIsoDuration, formatIsoInstant } from "./isoTime.ts";
import { parseScenarioObject, scenarioOrThrow } from "./load.ts";
import { formatPresetRef } from "./presetRef.ts";
import { INVARIANT_NAMES, type Scenario } from "./scenario.ts";
import type { ScenarioFile } from "./schema.ts";

type TemplateFile = ScenarioFile["templates"][number];
type VersionFile = TemplateFile["versions"][number];
type PresetFile = NonNullable<VersionFile["presets"]>[number];
type ClaimFile = NonNullable<NonNullable<ScenarioFile["workload"]>["claims"]>[number];
type EventFile = NonNullable<ScenarioFile["events"]>[number];
type FaultFile = NonNullable<ScenarioFile["faults"]>[number];

const TIME_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"] as const;

/** Scenario and replica names (the simulator's safe rule). */
const nameArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
const namesArb = (min: number, max: number) => fc.uniqueArray(nameArb, { minLength: min, maxLength: max });

// Coder's names (names.ts). The element arbitraries are built once: building a regex arbitrary is
// far dearer than drawing from it, and these are drawn inside `chain`.
const templateNameArb = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,3}(-[a-zA-Z0-9]{1,3})?$/)
  .filter((n) => n !== "new" && n !== "create");
/** Version names as people write them and as Coder generates them (`brave_turing3`). */
const versionNameArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,3}([_.-][a-z0-9]{1,3})?$/),
  fc.stringMatching(/^[a-z]{2,6}_[a-z]{2,6}[0-9]$/),
);
/** Preset names are free text: simple ones, Coder-style ones, and any non-empty text without NUL. */
const presetNameArb = fc.oneof(
  nameArb,
  fc.constantFrom("GPU (A100) – 8 CPU", "CPU only / small", "a | b", "<b>x</b>", " padded ", '"quoted"'),
  fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }).filter((n) => !n.includes("\u0000")),
);
/** Templates in either case, unique ignoring case as Coder compares them. */
const templateNamesArb = (min: number, max: number) =>
  fc.uniqueArray(templateNameArb, { minLength: min, maxLength: max, selector: (n) => n.toLowerCase() });
const versionNamesArb = (min: number, max: number) =>
  fc.uniqueArray(versionNameArb, { minLength: min, maxLength: max });
const presetNamesArb = (min: number, max: number) =>
  fc.uniqueArray(presetNameArb, { minLength: min, maxLength: max });

/** A duration of `min`…`max` milliseconds in whole seconds, written as ISO-8601. */
const durationText = (min: number, max: number) =>
  fc
    .integer({ min: Math.ceil(min / SECOND), max: Math.floor(max / SECOND) })
    .map((s) => formatIsoDuration(s * SECOND));

const distributionArb = fc.oneof(
  durationText(0, 10 * MINUTE).map((fixed) => ({ fixed })),
  fc
    .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }))
    .map(([a, b]) => ({ uniform: [`PT${Math.min(a, b)}S`, `PT${Math.max(a, b)}S`] as [string, string] })),
  fc
    .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 600 }))
    .map(([median, extra]) => ({ median: `PT${median}S`, p90: `PT${median + extra}S` })),
);

const presetArb = (name: string): fc.Arbitrary<PresetFile> =>
  fc.record(
    {
      name: fc.constant(name),
      desiredInstances: fc.integer({ min: 0, max: 5 }),
      parameters: fc.dictionary(
        fc.constantFrom("cpu", "region", "disk"),
        fc.constantFrom("1", "2", "eu", "us"),
      ),
      ttl: durationText(HOUR, 8 * HOUR),
      failureRate: fc.double({ min: 0, max: 1, noNaN: true }),
      drift: fc.record({ replaceOnClaim: fc.double({ min: 0, max: 1, noNaN: true }) }),
      scheduling: fc.record({
        timezone: fc.constantFrom(...TIME_ZONES),
        schedules: fc
          .tuple(
            fc.integer({ min: 0, max: 23 }),
            fc.integer({ min: 0, max: 23 }),
            fc.integer({ min: 0, max: 8 }),
          )
          .map(([a, b, instances]) => [{ cron: `* ${Math.min(a, b)}-${Math.max(a, b)} * * 1-5`, instances }]),
      }),
    },
    { requiredKeys: ["name"] },
  );

const versionArb = (name: string): fc.Arbitrary<VersionFile> =>
  presetNamesArb(1, 3)
    .chain((presetNames) => fc.tuple(...presetNames.map(presetArb)))
    .map((presets) => ({ name, presets }));

/** 1–2 versions; the active one is the first by default or, sometimes, a later one marked `active: true`. */
const templateArb = (name: string): fc.Arbitrary<TemplateFile> =>
  versionNamesArb(1, 2)
    .chain((versionNames) =>
      fc.tuple(fc.tuple(...versionNames.map(versionArb)), fc.nat(versionNames.length - 1)),
    )
    .map(([versions, activeIndex]) => ({
      name,
      versions: versions.map((v, i) => (activeIndex > 0 && i === activeIndex ? { ...v, active: true } : v)),
    }));

function activeVersion(t: TemplateFile): VersionFile {
  const marked = t.versions.find((v) => v.active === true);
  return marked ?? (t.versions[0] as VersionFile);
}

/** `template/preset` on active versions, as claims and build-failure faults name them. */
function activePresetRefs(templates: readonly TemplateFile[]): string[] {
  return templates.flatMap((t) =>
    (activeVersion(t).presets ?? []).map((p) => formatPresetRef({ template: t.name, preset: p.name })),
  );
}

const claimArb = (refs: readonly string[], runMs: number): fc.Arbitrary<ClaimFile> =>
  fc.oneof(
    fc.record({
      preset: fc.constantFrom(...refs),
      rate: fc
        .tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom("h", "m", "d"))
        .map(([n, u]) => `${n}/${u}`),
    }),
    fc.record({
      preset: fc.constantFrom(...refs),
      rate: fc.integer({ min: 1, max: 30 }).map((n) => `${n}/h`),
      timezone: fc.constantFrom(...TIME_ZONES),
      hours: fc
        .tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 23 }),
          fc.double({ min: 0, max: 5, noNaN: true }),
        )
        .map(([a, b, peak]) => ({ [`${Math.min(a, b)}-${Math.max(a, b)}`]: peak, "*": 0.5 })),
    }),
    fc.record({ preset: fc.constantFrom(...refs), every: durationText(MINUTE, HOUR) }),
    fc.record({
      preset: fc.constantFrom(...refs),
      at: fc.array(durationText(0, runMs - SECOND), { minLength: 1, maxLength: 4 }),
    }),
  );

const eventArb = (templates: readonly TemplateFile[], runMs: number): fc.Arbitrary<EventFile> => {
  const at = durationText(0, runMs - SECOND);
  const template = fc.constantFrom(...templates);
  return fc.oneof(
    fc.record({
      at,
      promote: template.chain((t) =>
        fc.constantFrom(...t.versions).map((v) => ({ template: t.name, version: v.name })),
      ),
    }),
    fc.record({
      at,
      setDesired: template.chain((t) =>
        fc.constantFrom(...t.versions).chain((v) =>
          fc.record({
            template: fc.constant(t.name),
            version: fc.constant(v.name),
            preset: fc.constantFrom(...(v.presets ?? []).map((p) => p.name)),
            instances: fc.integer({ min: 0, max: 5 }),
          }),
        ),
      ),
    }),
    fc.record({ at, pause: fc.boolean() }),
    fc.record({ at, invalidate: template.map((t) => ({ template: t.name })) }),
    fc.record({ at, deprecate: template.map((t) => ({ template: t.name })) }),
    fc.record({ at, deleteTemplate: template.map((t) => ({ template: t.name })) }),
  );
};

/** A replica by number or by name, as faults may name it. */
const replicaRefArb = (replicaNames: readonly string[]) =>
  fc.nat(replicaNames.length - 1).chain((i) => fc.constantFrom<number | string>(i, replicaNames[i] ?? i));

/** A fault of any kind, each kind's module drawing its own fields. */
const faultArb = (
  presetRefs: readonly string[],
  replicaNames: readonly string[],
  runMs: number,
): fc.Arbitrary<FaultFile> => {
  const runSeconds = runMs / SECOND;
  /** [at, at + duration) inside the run. */
  const window = fc
    .integer({ min: 0, max: runSeconds - 1 })
    .chain((at) =>
      fc.integer({ min: 1, max: runSeconds - at }).map((d) => ({ at: `PT${at}S`, duration: `PT${d}S` })),
    );
  const shared = {
    fc,
    window,
    at: durationText(0, runMs - SECOND),
    replica: replicaRefArb(replicaNames),
    probability: fc.double({ min: 0, max: 1, noNaN: true }),
    presetRefs,
    runSeconds,
  };
  return fc.oneof(...FAULT_MODULES.map((m) => m.arbitrary(shared) as fc.Arbitrary<FaultFile>));
};

const replicasArb = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((count) => ({ count })),
  namesArb(1, 3).chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.record(
          { name: fc.constant(name), clockSkew: durationText(0, 5 * SECOND) },
          { requiredKeys: ["name"] },
        ),
      ),
    ),
  ),
);

function replicaNamesOf(replicas: { count: number } | readonly { name: string }[]): string[] {
  if ("count" in replicas) return Array.from({ length: replicas.count }, (_, i) => `replica-${i}`);
  return replicas.map((r) => r.name);
}

/** A valid scenario file, as an author would write it (durations as ISO text, optional fields often left out). */
export function arbScenarioFile(): fc.Arbitrary<ScenarioFile> {
  return fc
    .record({
      name: nameArb,
      runMinutes: fc.integer({ min: 10, max: 240 }),
      templates: templateNamesArb(1, 2).chain((names) => fc.tuple(...names.map(templateArb))),
      replicas: replicasArb,
    })
    .chain(({ name, runMinutes, templates, replicas }) => {
      const runMs = runMinutes * MINUTE;
      const presetRefs = activePresetRefs(templates);
      const replicaNames = replicaNamesOf(replicas);
      return fc.record(
        {
          name: fc.constant(name),
          description: fc.string({ maxLength: 40 }),
          seed: fc.nat(1_000_000),
          start: fc
            .integer({ min: 1_700_000_000, max: 1_800_000_000 })
            .map((s) => formatIsoInstant(s * SECOND)),
          duration: fc.constant(formatIsoDuration(runMs)),
          sampleEvery: durationText(10 * SECOND, 5 * MINUTE),
          settings: fc.record(
            {
              reconciliationInterval: durationText(5 * SECOND, 5 * MINUTE),
              reconciliationBackoffInterval: durationText(0, 5 * MINUTE),
              reconciliationBackoffLookback: durationText(0, 2 * HOUR),
              failureHardLimit: fc.integer({ min: 0, max: 5 }),
              maxDBConnections: fc.integer({ min: 1, max: 20 }),
            },
            { requiredKeys: [] },
          ),
          database: fc.record({ latency: distributionArb }, { requiredKeys: [] }),
          replicas: fc.constant(replicas),
          provisioners: fc.integer({ min: 1, max: 4 }).chain((daemons) =>
            fc.record(
              {
                daemons: fc.constant(daemons),
                prebuildDaemons: fc.integer({ min: 0, max: daemons }),
                pollInterval: durationText(SECOND, 10 * SECOND),
                buildTime: distributionArb,
                deleteTime: distributionArb,
                agentReadyAfter: distributionArb,
                agentReinitAfter: distributionArb,
                failureRate: fc.double({ min: 0, max: 1, noNaN: true }),
              },
              { requiredKeys: ["daemons", "prebuildDaemons"] },
            ),
          ),
          templates: fc.constant(templates),
          users: fc.record({ count: fc.integer({ min: 0, max: 50 }) }),
          workload: fc.record({
            claims: fc.array(claimArb(presetRefs, runMs), { maxLength: 3 }),
          }),
          events: fc.array(eventArb(templates, runMs), { maxLength: 5 }),
          faults: fc.array(faultArb(presetRefs, replicaNames, runMs), { maxLength: 4 }),
          expect: fc.record(
            { convergeWithin: durationText(MINUTE, HOUR), allow: fc.subarray([...INVARIANT_NAMES]) },
            { requiredKeys: [] },
          ),
        },
        // The replicas stay: faults name the generated ones.
        { requiredKeys: ["name", "duration", "templates", "replicas"] },
      );
    });
}

/** A valid scenario, normalised: what the world is built from. */
export function arbScenario(): fc.Arbitrary<Scenario> {
  return arbScenarioFile().map((file) => scenarioOrThrow(parseScenarioObject(file, "generated scenario")));
}
