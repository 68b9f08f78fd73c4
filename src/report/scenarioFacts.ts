// The few facts the report takes from the scenario as run (scenario.yaml in the run directory):
// its description, which organization owns each template, which version of each template is active
// at the start (the first listed, unless one says `active: true`), and which invariants it allows
// to break. The scenario layer owns the full schema; this reads only these keys, leniently, so a
// report can still be drawn for a run made by an older version of the format.
import { parse } from "yaml";

export interface ScenarioFacts {
  description: string | null;
  /** template name → organization name */
  organizations: Map<string, string>;
  /** template name → the version active when the run starts */
  initialActiveVersion: Map<string, string>;
  /** `expect.allow` */
  allow: string[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function scenarioFacts(yamlText: string, path: string): ScenarioFacts {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (cause) {
    throw new Error(`report: ${path} is not YAML: ${(cause as Error).message}`, { cause });
  }
  const root = record(doc) ?? {};
  const facts: ScenarioFacts = {
    description: typeof root.description === "string" ? root.description : null,
    organizations: new Map(),
    initialActiveVersion: new Map(),
    allow: list(record(root.expect)?.allow).filter((a): a is string => typeof a === "string"),
  };
  for (const t of list(root.templates)) {
    const template = record(t);
    if (typeof template?.name !== "string") continue;
    facts.organizations.set(
      template.name,
      typeof template.organization === "string" ? template.organization : "default",
    );
    const versions = list(template.versions).map(record);
    const active = versions.find((v) => v?.active === true) ?? versions[0];
    if (typeof active?.name === "string") facts.initialActiveVersion.set(template.name, active.name);
  }
  return facts;
}
