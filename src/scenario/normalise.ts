// From a schema-checked scenario file to the `Scenario` the world is built from: the checks that
// need the whole file (names unique, references to templates, versions, presets and replicas that
// exist, events and fault windows inside the run, one active version per template), and the
// defaults that depend on other fields.
import type { Duration } from "../clock/types.ts";
import type { FaultNormaliser } from "../world/faults/faultKind.ts";
import { faultModule } from "../world/faults/registry.ts";
import { formatIsoDuration } from "./isoTime.ts";
import { nameFold } from "./names.ts";
import { type DataPath, type DataProblem, formatPath } from "./problem.ts";
import type {
  BuildStream,
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
import type { ClaimArrivalsInFile, ParsedScenarioFile } from "./schema.ts";
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
  // Free-text preset names may hold commas and parentheses: those are quoted to stay readable.
  const shown = names.map((n) => (/^[A-Za-z0-9_.-]+$/.test(n) ? n : JSON.stringify(n)));
  return names.length === 0 ? "(none)" : `(${shown.join(", ")})`;
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

  /**
   * Coder's unique indexes on organization and template names compare `lower(name)`: reports each
   * name that differs from an earlier one only in case (exact twins are `checkUnique`'s).
   */
  checkCaseTwins(what: string, names: readonly string[], pathOf: (index: number) => DataPath): void {
    const firstIndex = new Map<string, number>();
    names.forEach((name, i) => {
      const first = firstIndex.get(nameFold(name));
      if (first === undefined) firstIndex.set(nameFold(name), i);
      else if (names[first] !== name) {
        const firstPath = pathOf(first);
        const where = firstPath.length === 0 ? "the organization that always exists" : formatPath(firstPath);
        this.report(
          pathOf(i),
          `expected a unique ${what} name, got ${JSON.stringify(name)}, which Coder takes for ${JSON.stringify(names[first])} (it compares names ignoring case; first at ${where})`,
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
    this.checkCaseTwins("organization", [DEFAULT_ORGANIZATION, ...listedOrgs], (i) =>
      i === 0 ? [] : ["organizations", i - 1],
    );
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
    for (const org of new Set(this.file.templates.map((t) => t.organization))) {
      const indexes = this.file.templates.flatMap((t, i) => (t.organization === org ? [i] : []));
      this.checkCaseTwins(
        "template",
        indexes.map((i) => this.file.templates[i]?.name ?? ""),
        (k) => ["templates", indexes[k] ?? 0, "name"],
      );
    }
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
          ...(p.buildTime === undefined ? {} : { buildTime: p.buildTime }),
          ...(p.deleteTime === undefined ? {} : { deleteTime: p.deleteTime }),
          ...(p.agentReadyAfter === undefined ? {} : { agentReadyAfter: p.agentReadyAfter }),
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

  /**
   * A preset reference: without a version, a preset on the template's active version; with one, a
   * preset of that version, which for a claim must be the active one (people claim on it).
   */
  presetRef(
    templates: readonly Template[],
    ref: PresetRef,
    path: DataPath,
    use: "claim" | "fault",
  ): PresetRef {
    const template = this.template(templates, ref.template, path);
    const active = template?.versions.find((v) => v.active);
    const version = ref.version === undefined ? active : this.versionOf(template, ref.version, path);
    if (template === undefined || version === undefined) return ref;
    if (use === "claim" && ref.version !== undefined && !version.active) {
      this.report(
        path,
        `expected the active version ${active?.name ?? "(none)"} of template ${template.name} (claims are made on it), got ${JSON.stringify(ref.version)}`,
      );
    } else if (!version.presets.some((p) => p.name === ref.preset)) {
      const which = version.active ? "on the active version" : "of version";
      this.report(
        path,
        unknownName(
          `a preset ${which} ${version.name} of template ${template.name}`,
          version.presets.map((p) => p.name),
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
      const preset = this.presetRef(templates, c.preset, [...path, "preset"], "claim");
      const arrivals = this.arrivals(c.arrivals, path);
      const randomStream = this.randomStream(this.file.workload.claims, i, path, "claim");
      return { preset, arrivals, ...(c.stream === undefined ? {} : { randomStream }) };
    });
  }

  /**
   * The random stream workload stream `i` draws from (`stream`, or its index): reported when an
   * earlier stream of the same list draws from it already, since their draws would interleave.
   */
  randomStream(list: readonly { stream?: number }[], i: number, path: DataPath, what: string): number {
    const own = list[i]?.stream;
    const randomStream = own ?? i;
    const taken = list.findIndex((other, j) => j < i && (other.stream ?? j) === randomStream);
    if (taken >= 0)
      this.report(
        [...path, ...(own === undefined ? [] : ["stream"])],
        `expected a random stream of its own, got ${randomStream}, which ${what} stream ${taken} draws from already (set stream on one of them)`,
      );
    return randomStream;
  }

  /** The arrivals of a stream in kernel instants (`at` offsets become moments). */
  arrivals(a: ClaimArrivalsInFile, path: DataPath): ClaimArrivals {
    if (a.kind !== "at") return a;
    return { kind: "at", times: a.offsets.map((offset, j) => this.moment(offset, [...path, "at", j])) };
  }

  builds(templates: readonly Template[]): BuildStream[] {
    return this.file.workload.builds.map((b, i) => {
      const path = ["workload", "builds", i];
      const first = templates[0]?.name ?? "";
      const template =
        b.template === undefined
          ? first
          : (this.template(templates, b.template, [...path, "template"])?.name ?? b.template);
      const randomStream = this.randomStream(this.file.workload.builds, i, path, "build");
      return {
        template,
        arrivals: this.arrivals(b.arrivals, path),
        ...(b.stream === undefined ? {} : { randomStream }),
      };
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
    const n: FaultNormaliser = {
      moment: (atOffset, p) => this.moment(atOffset, p),
      windowEnd: (atOffset, length, p) => this.windowEnd(atOffset, length, p),
      presetRef: (ref, p) => this.presetRef(templates, ref, p, "fault"),
      replicaRef: (ref, p) => this.replicaRef(replicas, ref, p),
      report: (p, message) => this.report(p, message),
    };
    return faultModule(f.kind).normalise(f, path, n) as Fault;
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
    workload: {
      claims: n.claims(templates),
      // Absent when the file has none, so a scenario without builds is the object it always was.
      ...(file.workload.builds.length === 0 ? {} : { builds: n.builds(templates) }),
    },
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
