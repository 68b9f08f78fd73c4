// `notifications-dropped`: the unobserved-state perturbation (issue #13 part 3) of a message lost
// between its publisher and its listeners — a reconciler's job posting (the daemons find the job
// only at their next poll) or a claim's event for the workspace's agent (the agent is never told
// to reinitialise). The publisher sees a successful publish, as with a broker that lost it.
import { z } from "zod";
import type { Instant } from "../../clock/types.ts";
import type { Moment } from "../../scenario/scenario.ts";
import type { NotificationChannel } from "../perturbations.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, kindField, noNotificationReason, notificationChannelField, varyWindow } from "./fields.ts";
import {
  afterField,
  countField,
  Occurrences,
  perturbationsOf,
  type Selection,
  scheduleSelection,
  selectionDuration,
  selectionOf,
  selectionParameters,
} from "./occurrences.ts";

export type NotificationsDropped = {
  readonly kind: "notifications-dropped";
  readonly channel: NotificationChannel;
} & Moment &
  Selection;

const schema = z.strictObject({
  kind: kindField(
    "notifications-dropped",
    "Notifications of a channel are lost on their way to their listeners (their publisher does not know).",
  ),
  at: faultAt,
  channel: notificationChannelField,
  count: countField("notifications").optional(),
  duration: selectionDuration.optional(),
  afterNotifications: afterField("notifications of the channel").optional(),
});

/** The effect's key: `jobNotificationsDropped` or `claimNotificationsDropped`. */
function effectKey(channel: NotificationChannel): string {
  return channel === "jobs" ? "jobNotificationsDropped" : "claimNotificationsDropped";
}

export const notificationsDropped: FaultKind<"notifications-dropped", NotificationsDropped, typeof schema> = {
  kind: "notifications-dropped",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    channel: f.channel,
    ...selectionOf(f, f.afterNotifications, path, n),
  }),
  parameters: (f) => ({ channel: f.channel, ...selectionParameters(f, "afterNotifications") }),
  settleEnd: (f) => f.until ?? f.at,
  vary: varyWindow,
  arbitrary: (a) =>
    a.fc.record(
      {
        kind: a.fc.constant("notifications-dropped" as const),
        at: a.at,
        channel: a.fc.constantFrom("jobs" as const, "claims" as const),
        count: a.fc.integer({ min: 1, max: 5 }),
        afterNotifications: a.fc.integer({ min: 0, max: 10 }),
      },
      { requiredKeys: ["kind", "at", "channel"] },
    ),
  effectWords: {
    jobNotificationsDropped: ["job notification dropped", "job notifications dropped"],
    claimNotificationsDropped: ["claim notification dropped", "claim notifications dropped"],
  },
  inject(f, world, schedule) {
    const taken = new Occurrences(f);
    let last: Instant = f.at;
    const timeline = scheduleSelection(f, world, schedule, () => ({
      effect: { [effectKey(f.channel)]: taken.taken },
      until: last,
      noop: noNotificationReason(f.channel, f),
    }));
    perturbationsOf(world).onPublish((channel) => {
      const now = world.clock.now();
      if (channel !== f.channel || !taken.take(now)) return "deliver";
      timeline.begin();
      last = now;
      if (taken.complete) timeline.settled();
      return "drop";
    });
  },
};
