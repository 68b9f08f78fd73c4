// The identities the seed gave to the scenario's names: which organization, template, version,
// preset and person each id is. Every component that turns a name into an id (operator events,
// claims, faults) or an id into a name (trace fields, samples, results) asks the catalog, so the
// mapping exists exactly once and always matches the seeded rows.
import type { Preset } from "../scenario/scenario.ts";

/** The key of a preset in samples, traces and results: `template/version/preset`. */
export { presetKey } from "../trace/presetKey.ts";

export interface CatalogPreset {
  readonly id: string;
  /** `template/version/preset` */
  readonly key: string;
  readonly template: string;
  readonly version: string;
  readonly name: string;
  readonly templateId: string;
  readonly versionId: string;
  readonly organizationId: string;
  /** The scenario's description of the preset (failure rate, drift, parameters). */
  readonly spec: Preset;
}

export interface CatalogVersion {
  readonly id: string;
  readonly name: string;
  readonly templateId: string;
  /** Whether the scenario made this version active at start. */
  readonly activeAtStart: boolean;
  readonly presets: readonly CatalogPreset[];
}

export interface CatalogTemplate {
  readonly id: string;
  readonly name: string;
  readonly organizationId: string;
  readonly versions: readonly CatalogVersion[];
}

export interface CatalogUser {
  readonly id: string;
  readonly username: string;
  /** The trace actor of the person: `user-N`, or `template-admin`. */
  readonly actor: string;
}

export class Catalog {
  readonly #organizations: ReadonlyMap<string, string>;
  readonly #templates: ReadonlyMap<string, CatalogTemplate>;
  readonly #presetsById = new Map<string, CatalogPreset>();
  readonly #versionsById = new Map<string, CatalogVersion>();

  constructor(
    organizations: ReadonlyMap<string, string>,
    templates: readonly CatalogTemplate[],
    /** The simulated people, in scenario order (`user-0` first). */
    readonly people: readonly CatalogUser[],
    readonly templateAdmin: CatalogUser,
  ) {
    this.#organizations = organizations;
    this.#templates = new Map(templates.map((t) => [t.name, t]));
    for (const t of templates) {
      for (const v of t.versions) {
        this.#versionsById.set(v.id, v);
        for (const p of v.presets) this.#presetsById.set(p.id, p);
      }
    }
  }

  /** Every template in scenario order. */
  get templates(): CatalogTemplate[] {
    return [...this.#templates.values()];
  }

  /** Every preset of every version, in scenario order. */
  get presets(): CatalogPreset[] {
    return [...this.#presetsById.values()];
  }

  organizationId(name: string): string {
    const id = this.#organizations.get(name);
    if (id === undefined) throw new Error(`catalog: no organization named ${name}`);
    return id;
  }

  template(name: string): CatalogTemplate {
    const t = this.#templates.get(name);
    if (t === undefined) throw new Error(`catalog: no template named ${name}`);
    return t;
  }

  version(template: string, version: string): CatalogVersion {
    const v = this.template(template).versions.find((x) => x.name === version);
    if (v === undefined) throw new Error(`catalog: template ${template} has no version ${version}`);
    return v;
  }

  preset(template: string, version: string, preset: string): CatalogPreset {
    const p = this.version(template, version).presets.find((x) => x.name === preset);
    if (p === undefined) throw new Error(`catalog: ${template}/${version} has no preset ${preset}`);
    return p;
  }

  /** The version with this id, or undefined for ids the seed did not create. */
  versionById(id: string): CatalogVersion | undefined {
    return this.#versionsById.get(id);
  }

  /** The preset with this id, or undefined for ids the seed did not create. */
  presetById(id: string): CatalogPreset | undefined {
    return this.#presetsById.get(id);
  }
}
