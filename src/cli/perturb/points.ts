// The points of an unperturbed run where `explore --perturb` can land a perturbation: before each
// store operation of each locked reconciliation cycle (the world's cycle log counts them, as the
// cycle triggers do), then each notification the trace shows.
import { parseTraceLine } from "../../trace/lines.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { RecordedCycle } from "../../world/faults/cycleLog.ts";
import type {
  CycleStatementPoint,
  NotificationPoint,
  PerturbationPoint,
} from "../../world/faults/perturbationPoint.ts";

/** Trace kinds that show a notification, with the channel it went through and what it is about. */
const NOTIFICATIONS: Readonly<Record<string, { channel: NotificationPoint["channel"]; subject: string }>> = {
  // Inserting a provisioner job publishes a job notification to the daemons.
  "build.create": { channel: "job", subject: "job" },
  "agent.reinit.publish": { channel: "claim", subject: "workspace" },
  notification: { channel: "user", subject: "workspace" },
};

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** One point before each statement of each cycle, cycles in the order their leases began. */
export function cyclePoints(cycles: readonly RecordedCycle[]): CycleStatementPoint[] {
  return cycles.flatMap((c) =>
    Array.from({ length: c.statements }, (_, k) => ({
      type: "cycle-statement" as const,
      replica: c.replica,
      cycle: c.cycle,
      acquiredAt: iso(c.acquiredAt),
      previousEnd: iso(c.previousEnd),
      afterStatements: k,
      statements: c.statements,
    })),
  );
}

/** Every notification trace.jsonl shows, in trace order. */
export function notificationPoints(traceText: string): NotificationPoint[] {
  const out: NotificationPoint[] = [];
  for (const [i, text] of traceText.split("\n").entries()) {
    if (text === "") continue;
    const line = parseTraceLine(text, i + 1) as TraceLine & Record<string, unknown>;
    const shown = NOTIFICATIONS[String(line.kind)];
    if (shown === undefined) continue;
    const at = String(line.t);
    // Only the reconcilers' job postings pass the notification faults (people's go around them).
    const perturbable =
      shown.channel === "claim" ||
      (shown.channel === "job" && line.initiator === "prebuilds" && line.orphan !== true);
    const sameInstantBefore = perturbable
      ? out.filter((p) => p.perturbable && p.channel === shown.channel && p.at === at).length
      : 0;
    out.push({
      type: "notification",
      channel: shown.channel,
      seq: Number(line.seq),
      at,
      subject: String(line[shown.subject]),
      perturbable,
      sameInstantBefore,
    });
  }
  return out;
}

/** The run's points: the cycles' statements, then the notifications. */
export function recordedPoints(cycles: readonly RecordedCycle[], traceText: string): PerturbationPoint[] {
  return [...cyclePoints(cycles), ...notificationPoints(traceText)];
}
