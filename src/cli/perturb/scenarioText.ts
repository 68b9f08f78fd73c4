// A perturbed run's scenario: the explored scenario with the perturbation appended to its
// `faults` as an ordinary fault, written back as YAML. The run directory's scenario.yaml is this
// text, so `prebuildsim run DIR/scenario.yaml --seed S` replays the perturbed run with no
// perturbation logic at all.
import { parseDocument, stringify } from "yaml";
import type { FaultData } from "../../world/faults/faultKind.ts";
import { describePoint, type PerturbationPoint } from "../../world/faults/perturbationPoint.ts";

export interface PerturbedScenario {
  text: string;
  /** The perturbation's place in `faults` (its `index` in fault.* trace lines). */
  index: number;
}

/**
 * The scenario text with `fault` last in its faults. Text that is not a mapping is returned
 * unchanged (loading it reports the problem as usual).
 */
export function perturbedScenarioText(
  text: string,
  fault: FaultData,
  point: PerturbationPoint,
): PerturbedScenario {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { text, index: -1 };
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return { text, index: -1 };
  const scenario = data as Record<string, unknown>;
  const faults = Array.isArray(scenario.faults) ? [...scenario.faults] : [];
  faults.push(fault);
  scenario.faults = faults;
  const description = typeof scenario.description === "string" ? `${scenario.description} ` : "";
  scenario.description = `${description}[perturbation: ${fault.kind} at ${describePoint(point)}]`;
  return { text: stringify(scenario, { lineWidth: 0 }), index: faults.length - 1 };
}
