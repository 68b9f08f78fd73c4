// Swarm testing for `explore --swarm`: each seed also draws its own fault configuration — which of
// the scenario's faults happen at all, when, for how long and how hard — so an exploration covers
// combinations a hand-written scenario does not. The variation is applied to the scenario file's
// data and written back as YAML: the run directory's scenario.yaml then holds exactly what ran, and
// `replay` needs no swarm logic.
import { parseDocument, stringify } from "yaml";
import { Rng } from "../kernel/rng.ts";
import { parseIsoDuration } from "../scenario/isoTime.ts";
import { FAULT_MODULES } from "../world/faults/registry.ts";

/** Probability that a fault of the scenario takes part in a given seed's run. */
export const SWARM_KEEP_PROBABILITY = 0.7;

type Data = Record<string, unknown>;

/**
 * The scenario text with this seed's fault parameters. Text that does not parse as a mapping is
 * returned unchanged: loading it reports the problem as usual.
 */
export function swarmScenarioText(text: string, seed: number): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return text;
  const scenario = data as Data;
  const parsed = typeof scenario.duration === "string" ? parseIsoDuration(scenario.duration) : undefined;
  const total = parsed?.ok ? parsed.value : undefined;
  if (!Array.isArray(scenario.faults) || total === undefined) return text;
  const rng = new Rng(`swarm:${seed}`).stream("faults");
  const original = scenario.faults as unknown[];
  const faults: Data[] = [];
  for (const raw of original) {
    if (raw === null || typeof raw !== "object") {
      faults.push(raw as Data);
      continue;
    }
    if (!rng.bool(SWARM_KEEP_PROBABILITY)) continue;
    faults.push(varyFault({ ...(raw as Data) }, total, rng));
  }
  scenario.faults = faults;
  const description = typeof scenario.description === "string" ? `${scenario.description} ` : "";
  scenario.description = `${description}[swarm seed ${seed}: ${faults.length} of ${original.length} faults]`;
  return stringify(scenario, { lineWidth: 0 });
}

function varyFault(fault: Data, total: number, rng: ReturnType<Rng["stream"]>): Data {
  const module = FAULT_MODULES.find((m) => m.kind === fault.kind);
  // A kind the grammar lacks is left as written: loading the scenario reports it.
  module?.vary(fault, { total, next: () => rng.next(), scale: () => 2 ** (rng.next() * 2 - 1) });
  return fault;
}
