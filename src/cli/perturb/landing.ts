// Whether a perturbation landed where the unperturbed run said it could (issue #13 part 4).
// Adding a fault can shift the run before the point (the fault's own task and timer take part in
// the kernel's scheduling), so the perturbed run may strike another cycle, or nothing at all; the
// perturbed trace tells which, and every run says so. A notification fault names the notifications
// it took (`subjects` of its `fault.effect`), so it lands only on the very job or claim recorded.
import { LockId } from "../../db/constants.ts";
import { parseTraceLine } from "../../trace/lines.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { NotificationPoint, PerturbationPoint } from "../../world/faults/perturbationPoint.ts";

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
  fault?: string;
  subjects?: string[];
  fields?: { replica?: string };
}

/**
 * Kinds armed before a cycle that strike at its start, not at `fault.start`: the cycle they took is
 * read at their first line after it (the stale snapshot's warning; the missed tick's effect), and
 * how many of the replica's cycles had begun by then (a missed tick's cycle never begins).
 */
const STRIKES_AT_CYCLE_START: Readonly<Record<string, number>> = { "stale-snapshot": 0, "tick-missed": -1 };

/** Reads the perturbed trace for the fault at `index` in the scenario's faults. */
export function landingOf(traceText: string, index: number, point: PerturbationPoint): Landing {
  const acquired = new Map<string, { count: number; at: string }>();
  let struck: Landing | null = null;
  let armedKind: string | null = null;
  for (const [i, text] of traceText.split("\n").entries()) {
    if (text === "") continue;
    const line = parseTraceLine(text, i + 1) as TraceLine & Line;
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
    if (line.kind === "fault.effect" && point.type === "notification" && line.subjects !== undefined)
      return notificationLanding(line.subjects, point, struck);
    if (struck !== null) continue;
    if (line.kind === "fault.start" && line.fault !== undefined && line.fault in STRIKES_AT_CYCLE_START) {
      armedKind = line.fault;
      continue;
    }
    if (armedKind !== null) {
      struck = strikeLanding(line, acquired, point, STRIKES_AT_CYCLE_START[armedKind] ?? 0);
      continue;
    }
    if (line.kind === "fault.start") struck = strikeLanding(line, acquired, point, 0);
  }
  return struck ?? { outcome: "noop", detail: "changed nothing: the fault never struck" };
}

/** `begun`: the recorded cycle's leases begun by the strike, relative to the cycle (0: it holds the lock). */
function strikeLanding(
  line: Line,
  acquired: ReadonlyMap<string, { count: number; at: string }>,
  point: PerturbationPoint,
  begun: number,
): Landing {
  if (point.type !== "cycle-statement") return { outcome: "landed", detail: `struck at ${line.t}` };
  const replica = line.replica ?? line.fields?.replica ?? point.replica;
  const cycle = acquired.get(replica);
  if (begun < 0) {
    // The strike prevented the cycle: it lands if the replica had begun exactly the cycles before it.
    const before = cycle?.count ?? 0;
    if (replica === point.replica && before === point.cycle - 1)
      return { outcome: "landed", detail: `struck ${replica} before its cycle ${point.cycle}, at ${line.t}` };
    return {
      outcome: "elsewhere",
      detail: `struck ${replica} after ${before} cycles, not before its cycle ${point.cycle} (lease from ${point.acquiredAt}): the run shifted before the point`,
    };
  }
  const where = `${replica} cycle ${cycle?.count ?? 0} (lease from ${cycle?.at ?? "?"})`;
  if (replica === point.replica && cycle?.count === point.cycle && cycle.at === point.acquiredAt)
    return { outcome: "landed", detail: `struck ${where}` };
  return {
    outcome: "elsewhere",
    detail: `struck ${where}, not ${point.replica} cycle ${point.cycle} (lease from ${point.acquiredAt}): the run shifted before the point`,
  };
}

/** The recorded notification in a few words: `job <id>`, `the claim of workspace <id>`. */
function notificationWords(channel: NotificationPoint["channel"], subject: string): string {
  return channel === "job" ? `job ${subject}` : `the ${channel} notification of workspace ${subject}`;
}

/** Whether the notifications the fault took (its `fault.effect`'s `subjects`) are the recorded one. */
function notificationLanding(
  subjects: readonly string[],
  point: NotificationPoint,
  start: Landing | null,
): Landing {
  const when = start === null ? "" : ` (${start.detail})`;
  const took = subjects.map((s) => notificationWords(point.channel, s)).join(", ");
  if (subjects.includes(point.subject)) return { outcome: "landed", detail: `struck ${took}${when}` };
  return {
    outcome: "elsewhere",
    detail: `struck ${took}, not ${notificationWords(point.channel, point.subject)} (trace line ${point.seq}): the run shifted before the point`,
  };
}
