// From a schema-checked scenario file to the `Scenario` the world is built from: the checks that
// need the whole file (names unique, references to templates, versions, presets and replicas that
// exist, events and fault windows inside the run, one active version per template), and the
// defaults that depend on other fields.
import type { Duration } from "../clock/types.ts";
import { formatIsoDuration } from "./isoTime.ts";
import { type DataPath, type DataProblem, formatPath } from "./problem.ts";
import type {
  ClaimArrivals,
  ClaimStream,
  Fault,
  Moment,
  OperatorEvent,
  Preset,
  PresetRef,
  Replica,
  ReplicaRef,
  Scenario,
  Template,
  TemplateVersion,
} from "./scenario.ts";
import type { ParsedScenarioFile } from "./schema.ts";
import { didYouMean } from "./suggest.ts";

export type NormaliseResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly problems: readonly DataProblem[] };

type ParsedTemplate = ParsedScenarioFile["templates"][number];
type ParsedVersion = ParsedTemplate["versions"][number];
type ParsedFault = ParsedScenarioFile["faults"][number];

const DEFAULT_ORGANIZATION = "default";

/** `(a, b, c)` for messages that list what would have been accepted. */
function listed(names: readonly string[]): string {
  return names.length === 0 ? "(none)" : `(${names.join(", ")})`;
}

function unknownName(what: string, known: readonly string[], got: string): string {
  return `expected ${what} ${listed(known)}, got ${JSON.stringify(got)}${didYouMean(got, known)}`;
}

/** Collects problems while the scenario is assembled, so that one run reports all of them. */
class Normaliser {
  readonly problems: DataProblem[] = [];

  constructor(private readonly file: ParsedScenarioFile) {}

  report(path: DataPath, message: string): void {
    this.problems.push({ path, message });
  }

  /** Reports each name that appeared before in `names`, at `pathOf(index)`. */
  checkUnique(what: string, names: readonly string[], pathOf: (index: number) => DataPath): void {
    const firstIndex = new Map<string, number>();
    names.forEach((name, i) => {
      const first = firstIndex.get(name);
      if (first === undefined) firstIndex.set(name, i);
      else {
        this.report(
          pathOf(i),
          `expected a unique ${what} name, got ${JSON.stringify(name)} again (first at ${formatPath(pathOf(first))})`,
        );
      }
    });
  }

  /** A point of the run given as an offset from start; it must fall before the end. */
  moment(atOffset: Duration, path: DataPath): Moment {
    if (atOffset >= this.file.duration) {
      this.report(
        path,
        `expected an offset before the end of the run (duration ${formatIsoDuration(this.file.duration)}), got ${formatIsoDuration(atOffset)}`,
      );
    }
    return { atOffset, at: this.file.start + atOffset };
  }

  /** A window [at, at + length) must end by the end of the run. */
  windowEnd(atOffset: Duration, length: Duration, path: DataPath): void {
    const end = atOffset + length;
    if (atOffset < this.file.duration && end > this.file.duration) {
      this.report(
        path,
        `expected the window to end by the end of the run (duration ${formatIsoDuration(this.file.duration)}), got one ending at ${formatIsoDuration(end)}`,
      );
    }
  }

  organizations(): string[] {
    const listedOrgs = this.file.organizations;
    this.checkUnique("organization", listedOrgs, (i) => ["organizations", i]);
    return [DEFAULT_ORGANIZATION, ...new Set(listedOrgs.filter((o) => o !== DEFAULT_ORGANIZATION))];
  }

  replicas(): readonly Replica[] {
    this.checkUnique(
      "replica",
      this.file.replicas.map((r) => r.name),
      (i) => ["replicas", i, "name"],
    );
    return this.file.replicas;
  }

  templates(organizations: readonly string[]): Template[] {
    this.checkUnique(
      "template",
      this.file.templates.map((t) => t.name),
      (i) => ["templates", i, "name"],
    );
    return this.file.templates.map((t, ti) => {
      if (!organizations.includes(t.organization)) {
        this.report(
          ["templates", ti, "organization"],
          unknownName("an organization listed in organizations", organizations, t.organization),
        );
      }
      const activeIndex = this.activeVersionIndex(t, ti);
      return {
        name: t.name,
        organization: t.organization,
        versions: t.versions.map((v, vi) =>
          this.version(v, vi === activeIndex, ["templates", ti, "versions", vi]),
        ),
      };
    });
  }

  /** The first version is active unless exactly one says `active: true`. */
  activeVersionIndex(t: ParsedTemplate, ti: number): number {
    this.checkUnique(
      "version",
      t.versions.map((v) => v.name),
      (vi) => ["templates", ti, "versions", vi, "name"],
    );
    const declared = t.versions.flatMap((v, vi) => (v.active === true ? [vi] : []));
    const [first, ...others] = declared;
    for (const vi of others) {
      this.report(
        ["templates", ti, "versions", vi, "active"],
        `expected one active version per template, got a second one (versions[${first}] is active too)`,
      );
    }
    if (first !== undefined) return first;
    if (t.versions[0]?.active === false) {
      this.report(
        ["templates", ti, "versions", 0, "active"],
        "expected one active version (the first, unless another says active: true), got none",
      );
    }
    return 0;
  }

  version(v: ParsedVersion, active: boolean, path: DataPath): TemplateVersion {
    this.checkUnique(
      "parameter",
      v.parameters.map((p) => p.name),
      (i) => [...path, "parameters", i, "name"],
    );
    this.checkUnique(
      "preset",
      v.presets.map((p) => p.name),
      (i) => [...path, "presets", i, "name"],
    );
    return {
      name: v.name,
      active,
      parameters: v.parameters.map((p) => ({
        name: p.name,
        required: p.required,
        default: p.default ?? null,
        immutable: p.immutable,
      })),
      presets: v.presets.map(
        (p): Preset => ({
          name: p.name,
          desiredInstances: p.desiredInstances ?? null,
          parameters: Object.entries(p.parameters)
            .map(([name, value]) => ({ name, value }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
          ttl: p.ttl ?? null,
          failureRate: p.failureRate ?? this.file.provisioners.failureRate,
          drift: p.drift,
          scheduling: p.scheduling ?? null,
        }),
      ),
    };
  }

  template(templates: readonly Template[], name: string, path: DataPath): Template | undefined {
    const found = templates.find((t) => t.name === name);
    if (!found) {
      this.report(
        path,
        unknownName(
          "a template of this scenario",
          templates.map((t) => t.name),
          name,
        ),
      );
    }
    return found;
  }

  /** `template/preset`, which must name a preset on the template's active version. */
  presetRef(templates: readonly Template[], ref: PresetRef, path: DataPath): PresetRef {
    const template = this.template(templates, ref.template, path);
    const active = template?.versions.find((v) => v.active);
    if (template && active && !active.presets.some((p) => p.name === ref.preset)) {
      this.report(
        path,
        unknownName(
          `a preset on the active version ${active.name} of template ${template.name}`,
          active.presets.map((p) => p.name),
          ref.preset,
        ),
      );
    }
    return ref;
  }

  versionOf(template: Template | undefined, name: string, path: DataPath): TemplateVersion | undefined {
    if (!template) return undefined;
    const found = template.versions.find((v) => v.name === name);
    if (!found) {
      this.report(
        path,
        unknownName(
          `a version of template ${template.name}`,
          template.versions.map((v) => v.name),
          name,
        ),
      );
    }
    return found;
  }

  claims(templates: readonly Template[]): ClaimStream[] {
    return this.file.workload.claims.map((c, i) => {
      const path = ["workload", "claims", i];
      const preset = this.presetRef(templates, c.preset, [...path, "preset"]);
      const arrivals: ClaimArrivals =
        c.arrivals.kind === "at"
          ? {
              kind: "at",
              times: c.arrivals.offsets.map((offset, j) => this.moment(offset, [...path, "at", j])),
            }
          : c.arrivals;
      return { preset, arrivals };
    });
  }

  events(templates: readonly Template[]): OperatorEvent[] {
    return this.file.events.map((e, i): OperatorEvent => {
      const path = ["events", i];
      const moment = this.moment(e.atOffset, [...path, "at"]);
      if (e.kind !== "pause") {
        const template = this.template(templates, e.template, [...path, e.kind, "template"]);
        if (e.kind === "promote") this.versionOf(template, e.version, [...path, e.kind, "version"]);
        if (e.kind === "setDesired") {
          const version = this.versionOf(template, e.version, [...path, e.kind, "version"]);
          if (version && !version.presets.some((p) => p.name === e.preset)) {
            this.report(
              [...path, e.kind, "preset"],
              unknownName(
                `a preset of version ${version.name} of template ${e.template}`,
                version.presets.map((p) => p.name),
                e.preset,
              ),
            );
          }
        }
      }
      return { ...e, ...moment };
    });
  }

  replicaRef(replicas: readonly Replica[], ref: number | string, path: DataPath): ReplicaRef {
    const index = typeof ref === "number" ? ref : replicas.findIndex((r) => r.name === ref);
    const replica = replicas[index];
    if (replica) return { index, name: replica.name };
    const names = replicas.map((r) => r.name);
    const got = typeof ref === "number" ? String(ref) : `${JSON.stringify(ref)}${didYouMean(ref, names)}`;
    this.report(
      path,
      `expected a replica number 0-${replicas.length - 1} or a name ${listed(names)}, got ${got}`,
    );
    return { index, name: String(ref) };
  }

  faults(templates: readonly Template[], replicas: readonly Replica[]): Fault[] {
    return this.file.faults.map((f, i) => this.fault(f, ["faults", i], templates, replicas));
  }

  fault(f: ParsedFault, path: DataPath, templates: readonly Template[], replicas: readonly Replica[]): Fault {
    const moment = this.moment(f.at, [...path, "at"]);
    const window = (length: Duration) => {
      this.windowEnd(f.at, length, [...path, "duration"]);
      return { ...moment, duration: length, until: moment.at + length };
    };
    switch (f.kind) {
      case "provisioner-outage":
      case "notification-queue-full":
        return { kind: f.kind, ...window(f.duration) };
      case "build-failures":
        return {
          kind: f.kind,
          ...window(f.duration),
          rate: f.rate,
          preset: f.preset === undefined ? null : this.presetRef(templates, f.preset, [...path, "preset"]),
          transition: f.transition ?? null,
        };
      case "db-errors":
        return { kind: f.kind, ...window(f.duration), rate: f.rate, query: f.query ?? null };
      case "lock-connection-lost":
        return {
          kind: f.kind,
          ...moment,
          replica: this.replicaRef(replicas, f.replica, [...path, "replica"]),
        };
      case "replica-crash":
        if (f.restartAfter !== undefined) this.windowEnd(f.at, f.restartAfter, [...path, "restartAfter"]);
        return {
          kind: f.kind,
          ...moment,
          replica: this.replicaRef(replicas, f.replica, [...path, "replica"]),
          restartAfter: f.restartAfter ?? null,
        };
      case "clock-skew":
        return {
          kind: f.kind,
          ...moment,
          replica: this.replicaRef(replicas, f.replica, [...path, "replica"]),
          offset: f.offset,
        };
    }
  }

  provisioners(): ParsedScenarioFile["provisioners"] {
    const p = this.file.provisioners;
    if (p.prebuildDaemons > p.daemons) {
      this.report(
        ["provisioners", "prebuildDaemons"],
        `expected at most provisioners.daemons (${p.daemons}) daemons reserved for prebuilds, got ${p.prebuildDaemons}`,
      );
    }
    return p;
  }

  allowed(): Scenario["expect"]["allow"] {
    this.checkUnique("invariant", this.file.expect.allow, (i) => ["expect", "allow", i]);
    return this.file.expect.allow;
  }

  reached(): Scenario["expect"]["reach"] {
    this.checkUnique("probe", this.file.expect.reach, (i) => ["expect", "reach", i]);
    return this.file.expect.reach;
  }
}

/** Checks what spans the whole file and builds the `Scenario`; all problems at once, or the scenario. */
export function normaliseScenario(file: ParsedScenarioFile): NormaliseResult {
  const n = new Normaliser(file);
  const organizations = n.organizations();
  const replicas = n.replicas();
  const templates = n.templates(organizations);
  const scenario: Scenario = {
    name: file.name,
    description: file.description,
    seed: file.seed,
    start: file.start,
    duration: file.duration,
    sampleEvery: file.sampleEvery ?? file.settings.reconciliationInterval,
    settings: file.settings,
    database: file.database,
    replicas,
    provisioners: n.provisioners(),
    organizations,
    templates,
    users: file.users,
    workload: { claims: n.claims(templates) },
    events: n.events(templates),
    faults: n.faults(templates, replicas),
    expect: {
      convergeWithin: file.expect.convergeWithin,
      allow: n.allowed(),
      reach: n.reached(),
      maxHumanQueueWait: file.expect.maxHumanQueueWait,
    },
  };
  return n.problems.length > 0 ? { ok: false, problems: n.problems } : { ok: true, scenario };
}
