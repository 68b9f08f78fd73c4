// Whether a perturbation landed where the unperturbed run said it could (issue #13 part 4).
// Adding a fault can shift the run before the point (the fault's own task and timer take part in
// the kernel's scheduling), so the perturbed run may strike another cycle, or nothing at all; the
// perturbed trace tells which, and every run says so.
import { LockId } from "../../db/constants.ts";
import type { PerturbationPoint } from "../../world/faults/perturbationPoint.ts";

export interface Landing {
  /** `landed`: struck the recorded cycle; `elsewhere`: struck another one; `noop`: changed nothing. */
  readonly outcome: "landed" | "elsewhere" | "noop";
  /** In words, for listings. */
  readonly detail: string;
}

interface Line {
  seq: number;
  t: string;
  kind: string;
  index?: number;
  lock?: number;
  connection?: string;
  replica?: string;
  reason?: string;
}

/** Reads the perturbed trace for the fault at `index` in the scenario's faults. */
export function landingOf(traceText: string, index: number, point: PerturbationPoint): Landing {
  const acquired = new Map<string, { count: number; at: string }>();
  let struck: Landing | null = null;
  for (const text of traceText.split("\n")) {
    if (text === "") continue;
    const line = JSON.parse(text) as Line;
    if (
      line.kind === "lock.acquire" &&
      line.lock === LockId.ReconcilePrebuilds &&
      line.connection !== undefined
    ) {
      const seen = acquired.get(line.connection);
      acquired.set(line.connection, { count: (seen?.count ?? 0) + 1, at: line.t });
    }
    if (line.index !== index) continue;
    if (line.kind === "fault.noop")
      return { outcome: "noop", detail: `changed nothing: ${line.reason ?? ""}` };
    if (line.kind === "fault.start" && struck === null) struck = strikeLanding(line, acquired, point);
  }
  return struck ?? { outcome: "noop", detail: "changed nothing: the fault never struck" };
}

function strikeLanding(
  line: Line,
  acquired: ReadonlyMap<string, { count: number; at: string }>,
  point: PerturbationPoint,
): Landing {
  if (point.type !== "cycle-statement") return { outcome: "landed", detail: `struck at ${line.t}` };
  const replica = line.replica ?? "";
  const cycle = acquired.get(replica);
  const where = `${replica} cycle ${cycle?.count ?? 0} (lease from ${cycle?.at ?? "?"})`;
  if (replica === point.replica && cycle?.count === point.cycle && cycle.at === point.acquiredAt)
    return { outcome: "landed", detail: `struck ${where}` };
  return {
    outcome: "elsewhere",
    detail: `struck ${where}, not ${point.replica} cycle ${point.cycle} (lease from ${point.acquiredAt}): the run shifted before the point`,
  };
}
