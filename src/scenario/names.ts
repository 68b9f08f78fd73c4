// Which names Coder accepts, so that a scenario loads exactly when Coder would take its names:
// - organization and template names: codersdk.NameValid (coderd registers it for the
//   `organization_name` and `template_name` request validators);
// - template version names: codersdk.TemplateVersionNameValid (`template_version_name`); Coder
//   generates one like `brave_turing3` when none is given, a person may write `v1.2.0`;
// - preset names: free text. terraform-provider-coder's `coder_workspace_preset.name` only has to
//   be non-empty (validation.StringIsNotEmpty) and coderd stores it in a PostgreSQL `text` column,
//   which cannot hold a NUL character or malformed Unicode.
// Each check returns upstream's own complaint (null when the name is accepted); the loader puts it
// in its "expected …, got …" line. The scenario's own name and replica names are not Coder names:
// they become a directory name and trace actors, so they keep the simulator's safe rule.

/** Scenario and replica names: safe as a directory name and as a trace actor. */
export const SAFE_NAME_PATTERN = /^[a-z0-9-]+$/;
export const SAFE_NAME_EXPECTED = "expected a name of lowercase letters, digits and dashes ([a-z0-9-]+)";

/** codersdk.UsernameValidRegex, which NameValid applies. */
export const CODER_NAME_PATTERN = /^[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*$/;
/** codersdk's templateVersionName regexp. */
export const VERSION_NAME_PATTERN = /^[a-zA-Z0-9]+(?:[_.-][a-zA-Z0-9]+)*$/;

export const CODER_NAME_MAX_BYTES = 32;
export const VERSION_NAME_MAX_BYTES = 64;

/** Go's len(): names are measured in UTF-8 bytes upstream. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** A UTF-16 half without its other half: not Unicode text, PostgreSQL refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** codersdk.NameValid: organization, template (and user, workspace, …) names. */
export function coderNameProblem(name: string): string | null {
  if (utf8Length(name) > CODER_NAME_MAX_BYTES) return `must be <= ${CODER_NAME_MAX_BYTES} characters`;
  if (utf8Length(name) < 1) return "must be >= 1 character";
  // Upstream: names that would clash with routes like /templates/new.
  if (name === "new" || name === "create") return `cannot use ${JSON.stringify(name)} as a name`;
  if (!CODER_NAME_PATTERN.test(name)) return "must be alphanumeric with hyphens";
  return null;
}

/** codersdk.TemplateVersionNameValid. */
export function versionNameProblem(name: string): string | null {
  if (utf8Length(name) > VERSION_NAME_MAX_BYTES) return `must be <= ${VERSION_NAME_MAX_BYTES} characters`;
  if (!VERSION_NAME_PATTERN.test(name)) return "must be alphanumeric with underscores and dots";
  return null;
}

/** coder_workspace_preset.name as the provider validates it and coderd can store it. */
export function presetNameProblem(name: string): string | null {
  if (name === "") return "must not be an empty string";
  if (name.includes("\u0000")) return "must not contain a NUL character (PostgreSQL text cannot store it)";
  if (LONE_SURROGATE.test(name))
    return "must be valid Unicode (PostgreSQL text cannot store a lone surrogate)";
  return null;
}

export type CoderNameKind = "organization" | "template" | "version" | "preset";

interface NameRule {
  /** the loader's "expected …" */
  readonly expected: string;
  /** for the JSON Schema */
  readonly description: string;
  /** Shown by editors beside the description (JSON Schema `examples`). */
  readonly examples: readonly string[];
  /** what JSON Schema can say of the rule (the reserved words and byte lengths stay the loader's) */
  readonly jsonSchema: {
    readonly pattern?: string;
    readonly maxLength?: number;
    readonly minLength?: number;
  };
  readonly problem: (name: string) => string | null;
}

const CODER_NAME_RULE =
  "codersdk.NameValid: letters and digits, single dashes between, at most 32 characters";

/** What each kind of name is, in the words of the loader's "expected …" line. */
export const NAME_RULES: Record<CoderNameKind, NameRule> = {
  organization: {
    examples: ["default", "Research-Lab"],
    expected: `expected an organization name as Coder accepts it (${CODER_NAME_RULE})`,
    description: `An organization name as Coder accepts it (${CODER_NAME_RULE}; not "new" or "create").`,
    jsonSchema: { pattern: CODER_NAME_PATTERN.source, maxLength: CODER_NAME_MAX_BYTES },
    problem: coderNameProblem,
  },
  template: {
    examples: ["dev", "ml-training"],
    expected: `expected a template name as Coder accepts it (${CODER_NAME_RULE})`,
    description: `A template name as Coder accepts it (${CODER_NAME_RULE}; not "new" or "create").`,
    jsonSchema: { pattern: CODER_NAME_PATTERN.source, maxLength: CODER_NAME_MAX_BYTES },
    problem: coderNameProblem,
  },
  version: {
    examples: ["v1", "brave_turing3", "v1.2.0"],
    expected:
      "expected a template version name as Coder accepts it (codersdk.TemplateVersionNameValid: letters and digits, single _ . or - between, at most 64 characters, like brave_turing3 or v1.2.0)",
    description:
      "A template version name as Coder accepts it (codersdk.TemplateVersionNameValid), like brave_turing3 or v1.2.0.",
    jsonSchema: { pattern: VERSION_NAME_PATTERN.source, maxLength: VERSION_NAME_MAX_BYTES },
    problem: versionNameProblem,
  },
  preset: {
    examples: ["small", "GPU (A100) – 8 CPU"],
    expected: "expected a preset name as Coder accepts it (coder_workspace_preset: any non-empty text)",
    description:
      "A preset name: any non-empty text, as coder_workspace_preset takes it, like GPU (A100) – 8 CPU.",
    jsonSchema: { minLength: 1 },
    problem: presetNameProblem,
  },
};

/** The loader's message for a refused name: what was expected, upstream's complaint, what it got. */
export function refusedNameMessage(kind: CoderNameKind, name: string): string | null {
  const rule = NAME_RULES[kind];
  const problem = rule.problem(name);
  return problem === null ? null : `${rule.expected}: ${problem}, got ${JSON.stringify(name)}`;
}

/**
 * Coder's unique indexes on organization and template names compare `lower(name)`: `Dev` and `dev`
 * are the same template in one organization.
 */
export function nameFold(name: string): string {
  return name.toLowerCase();
}
