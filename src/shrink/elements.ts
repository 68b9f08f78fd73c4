// How big a scenario is, for the shrink's before/after: the parts a reader has to follow — faults,
// operator events, claim streams, presets and replicas (issue #18 counts these).
import { type Data, listAt } from "./data.ts";
import { claimStreams } from "./reductions/claims.ts";
import { replicaCount } from "./reductions/deployment.ts";
import { presetPlaces } from "./reductions/presets.ts";

export interface ElementCount {
  readonly faults: number;
  readonly events: number;
  readonly claimStreams: number;
  readonly presets: number;
  readonly replicas: number;
  readonly total: number;
}

export function countElements(data: Data): ElementCount {
  const faults = listAt(data, "faults").length;
  const events = listAt(data, "events").length;
  const claims = claimStreams(data).length;
  const presets = presetPlaces(data).length;
  const replicas = replicaCount(data);
  return {
    faults,
    events,
    claimStreams: claims,
    presets,
    replicas,
    total: faults + events + claims + presets + replicas,
  };
}

export function describeElements(count: ElementCount): string {
  return `${count.total} elements (${count.faults} faults, ${count.events} events, ${count.claimStreams} claim streams, ${count.presets} presets, ${count.replicas} replicas)`;
}
