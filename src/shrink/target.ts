// The failure a shrink keeps: an invariant broken for the same kind of subject. Subjects are
// compared by role, not by id — a workspace id, a preset's version or a replica's number changes as
// the scenario shrinks — so a violation "for a prebuild of the version active at the start" stays
// one however many presets, versions or replicas are dropped around it.
import type { RunSummary, Violation } from "../check/summary.ts";
import type { Scenario } from "../scenario/scenario.ts";

export interface FailureTarget {
  readonly invariant: string;
  /** What kind of subject the violation names (`subjectRole`). */
  readonly role: string;
  /** The subject of the original violation, for the log and minimal.yaml's header. */
  readonly subject: string;
  /** The target was asked for though the scenario allows it (`expect.allow`): allowed violations count. */
  readonly allowed: boolean;
  /** Every invariant the original run broke: a candidate may break no other. */
  readonly broken: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function presetRole(key: string, scenario: Scenario): string | undefined {
  for (const t of scenario.templates)
    for (const v of t.versions)
      for (const p of v.presets)
        if (`${t.name}/${v.name}/${p.name}` === key)
          return v.active
            ? "preset of a version active at the start"
            : "preset of a version inactive at the start";
  return undefined;
}

/** The role of a violation's subject in the scenario it ran in. */
export function subjectRole(violation: Violation, scenario: Scenario): string {
  const preset = presetRole(violation.subject, scenario);
  if (preset !== undefined) return preset;
  if (scenario.replicas.some((r) => r.name === violation.subject)) return "replica";
  if (UUID.test(violation.subject)) {
    // A workspace is described by its preset, which its violation's message names.
    const key = /\bof (\S+\/\S+\/\S+)/.exec(violation.message)?.[1];
    const role = key === undefined ? undefined : presetRole(key, scenario);
    return role === undefined ? "workspace" : `workspace of a ${role}`;
  }
  return "run";
}

function candidates(summary: RunSummary, allowed: boolean): Violation[] {
  return allowed ? [...summary.violations, ...summary.allowed] : summary.violations;
}

/** The violation of `summary` that is the target's, if any (for the run's violation instant). */
export function matchingViolation(
  summary: RunSummary,
  target: FailureTarget,
  scenario?: Scenario,
): Violation | undefined {
  return candidates(summary, target.allowed).find(
    (v) =>
      v.invariant === target.invariant &&
      (scenario === undefined || subjectRole(v, scenario) === target.role),
  );
}

/** Why a run does not reproduce the target, or null when it does. */
export function mismatch(summary: RunSummary, scenario: Scenario, target: FailureTarget): string | null {
  const others = [...new Set(summary.violations.map((v) => v.invariant))].filter(
    (i) => !target.broken.includes(i),
  );
  if (others.length > 0) return `breaks ${others.join(", ")} as well`;
  if (matchingViolation(summary, target, scenario) !== undefined) return null;
  if (candidates(summary, target.allowed).some((v) => v.invariant === target.invariant))
    return `breaks ${target.invariant} for another kind of subject`;
  return summary.violations.length === 0 ? "passes" : `does not break ${target.invariant}`;
}

/**
 * The target from the original run: the invariant asked for (an allowed one counts only when
 * asked for), else the first violation. Undefined when the run does not break it.
 */
export function chooseTarget(
  summary: RunSummary,
  scenario: Scenario,
  invariant: string | undefined,
): FailureTarget | undefined {
  const broken = [...new Set(summary.violations.map((v) => v.invariant))];
  const pick =
    invariant === undefined
      ? summary.violations[0]
      : [...summary.violations, ...summary.allowed].find((v) => v.invariant === invariant);
  if (pick === undefined) return undefined;
  const allowed = !summary.violations.includes(pick);
  return {
    invariant: pick.invariant,
    role: subjectRole(pick, scenario),
    subject: pick.subject,
    allowed,
    broken: allowed ? [...broken, pick.invariant] : broken,
  };
}
