// What the two notification faults (`notifications-dropped`, `notifications-delayed`) share: the
// channel they perturb, how a fault that took nothing says so, and how property tests generate them.
import { z } from "zod";
import type { FaultArbitraries } from "./faultKind.ts";
import { type Selection, selectionWhen } from "./occurrences.ts";

/** The notifications the notification faults perturb. */
export const notificationChannelField = z
  .enum(["jobs", "claims"], { error: "expected jobs or claims" })
  .meta({
    description:
      "`jobs`: the job postings a reconciler publishes after creating a prebuild's build (daemons otherwise find the job at their next poll); `claims`: the event a claim publishes for the claimed workspace's agent to reinitialise.",
    examples: ["jobs", "claims"],
  });

/** Why a notification fault took nothing. */
export function noNotificationReason(channel: "jobs" | "claims", s: Selection): string {
  const what = channel === "jobs" ? "job notification" : "claim notification";
  return `no ${what} was published ${selectionWhen(s)}`;
}

/** Generated timing and channel of a notification fault: maybe a count and a number to let pass. */
export function notificationSelectionArbitrary(a: FaultArbitraries) {
  return a.fc.record(
    {
      at: a.at,
      channel: a.fc.constantFrom("jobs" as const, "claims" as const),
      count: a.fc.integer({ min: 1, max: 5 }),
      afterNotifications: a.fc.integer({ min: 0, max: 10 }),
    },
    { requiredKeys: ["at", "channel"] },
  );
}
