// `notifications-dropped`: the unobserved-state perturbation (issue #13 part 3) of a message lost
// between its publisher and its listeners — a reconciler's job posting (the daemons find the job
// only at their next poll) or a claim's event for the workspace's agent (the agent is never told
// to reinitialise). The publisher sees a successful publish, as with a broker that lost it.

import { z } from "zod";
import type { Moment } from "../../scenario/scenario.ts";
import type { NotificationChannel } from "../perturbations.ts";
import type { FaultKind } from "./faultKind.ts";
import { kindField, varyWindow } from "./fields.ts";
import {
  noNotificationReason,
  notificationChannelField,
  notificationSelectionArbitrary,
} from "./notificationChannel.ts";
import {
  perturbation,
  type Selection,
  selectionFields,
  selectionOf,
  selectionParameters,
} from "./occurrences.ts";
import { notificationAtPoint } from "./perturbationPoint.ts";

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
  channel: notificationChannelField,
  ...selectionFields("notifications", "afterNotifications", "notifications of the channel"),
});

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
    notificationSelectionArbitrary(a).map((s) => ({ kind: "notifications-dropped" as const, ...s })),
  effectWords: {
    jobNotificationsDropped: ["job notification dropped", "job notifications dropped"],
    claimNotificationsDropped: ["claim notification dropped", "claim notifications dropped"],
  },
  inject(f, world, schedule) {
    const key = f.channel === "jobs" ? "jobNotificationsDropped" : "claimNotificationsDropped";
    const p = perturbation(f, world, schedule, key, noNotificationReason(f.channel, f));
    p.rules.onPublish((channel, subject) => {
      if (channel !== f.channel || !p.take(world.clock.now(), undefined, subject)) return "deliver";
      if (p.complete) p.settled();
      return "drop";
    });
  },
  perturbAt(point, run) {
    const selection = notificationAtPoint(point, run);
    return selection === null ? null : { kind: "notifications-dropped", ...selection };
  },
};
