// minimal.yaml: the smallest failing scenario as a file a person can read, run and paste — the
// scenario with its seed, headed by comments naming the invariant it breaks, the run it came from
// and what was removed on the way.
import { type Data, dataText } from "./data.ts";
import { describeElements, type ElementCount } from "./elements.ts";
import type { FailureTarget } from "./target.ts";

export interface MinimalFacts {
  readonly target: FailureTarget;
  readonly origin: string;
  readonly originalSeed: number;
  readonly before: ElementCount;
  readonly after: ElementCount;
  readonly seed: number;
  readonly runs: number;
  /** The kept reductions, in order. */
  readonly removed: readonly string[];
}

/** The data with its seed, `name`, `description` and `seed` first (the order of SCENARIOS.md §1). */
function withSeed(data: Data, seed: number): Data {
  const { name, description, seed: _old, ...rest } = data;
  return {
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    seed,
    ...rest,
  };
}

export function minimalYaml(data: Data, facts: MinimalFacts): string {
  const { target } = facts;
  const allowed = target.allowed ? " (allowed by the scenario; asked for)" : "";
  const header = [
    `Minimal scenario found by prebuildsim shrink: it breaks ${target.invariant}${allowed}`,
    `  for a ${target.role} (originally ${target.subject}).`,
    `Original: ${facts.origin} with seed ${facts.originalSeed}: ${describeElements(facts.before)}.`,
    `Minimal:  seed ${facts.seed}: ${describeElements(facts.after)}; ${facts.runs} runs spent.`,
    facts.removed.length === 0 ? "Nothing could be removed." : "Removed or reduced, in order:",
    ...facts.removed.map((r) => `  - ${r}`),
  ];
  return `${header.map((line) => `# ${line}`).join("\n")}\n${dataText(withSeed(data, facts.seed))}`;
}
