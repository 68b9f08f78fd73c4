// Swarm testing for `explore --swarm`: each seed also draws its own fault configuration — which of
// the scenario's faults happen at all, when, for how long and how hard — so an exploration covers
// combinations a hand-written scenario does not. The variation is applied to the scenario file's
// data and written back as YAML: the run directory's scenario.yaml then holds exactly what ran, and
// `replay` needs no swarm logic.
import { parseDocument, stringify } from "yaml";
import { Rng } from "../kernel/rng.ts";
import { formatIsoDuration, parseIsoDuration } from "../scenario/isoTime.ts";

/** Probability that a fault of the scenario takes part in a given seed's run. */
export const SWARM_KEEP_PROBABILITY = 0.7;

type Data = Record<string, unknown>;

function durationOf(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseIsoDuration(value);
  return parsed.ok ? parsed.value : undefined;
}

/** Rounds to whole seconds (at least one): scenario files read better that way. */
function seconds(ms: number): string {
  return formatIsoDuration(Math.max(1000, Math.round(ms / 1000) * 1000));
}

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
  const total = durationOf(scenario.duration);
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
  const scale = () => 2 ** (rng.next() * 2 - 1);
  const length = durationOf(fault.duration);
  if (length !== undefined) fault.duration = seconds(Math.min(length * scale(), total / 2));
  const window = durationOf(fault.duration) ?? 0;
  fault.at = seconds(rng.next() * Math.max(0, total * 0.75 - window));
  if (typeof fault.rate === "number")
    fault.rate =
      fault.kind === "build-failures"
        ? round(0.05 + rng.next() * 0.95)
        : round(Math.min(1, fault.rate * scale() * scale()));
  const restart = durationOf(fault.restartAfter);
  if (restart !== undefined) fault.restartAfter = seconds(restart * scale());
  const offset = durationOf(typeof fault.offset === "string" ? fault.offset.replace(/^-/, "") : undefined);
  if (offset !== undefined) {
    const skew = Math.round((rng.next() * 4 - 2) * offset);
    fault.offset = skew < 0 ? `-${formatIsoDuration(-skew)}` : formatIsoDuration(skew);
  }
  return fault;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
