// `notifications-delayed`: the unobserved-state perturbation (issue #13 part 3) of a message held
// up between its publisher and its listeners for `delay` — a reconciler's job posting (a daemon
// may find the job by polling first) or a claim's event for the workspace's agent (it reinitialises
// that much later). The publisher goes on at once, as with a slow broker.

import { z } from "zod";
import type { Duration } from "../../clock/types.ts";
import { durationField } from "../../scenario/fields.ts";
import type { Moment } from "../../scenario/scenario.ts";
import type { NotificationChannel } from "../perturbations.ts";
import type { FaultKind } from "./faultKind.ts";
import { kindField, varyDuration, varyWindow } from "./fields.ts";
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

export type NotificationsDelayed = {
  readonly kind: "notifications-delayed";
  readonly channel: NotificationChannel;
  readonly delay: Duration;
} & Moment &
  Selection;

const schema = z.strictObject({
  kind: kindField(
    "notifications-delayed",
    "Notifications of a channel reach their listeners only `delay` after they were published.",
  ),
  channel: notificationChannelField,
  delay: durationField("positive").meta({
    description: "How long each taken notification is held before its listeners get it.",
    examples: ["PT10S", "PT2M"],
  }),
  ...selectionFields("notifications", "afterNotifications", "notifications of the channel"),
});

export const notificationsDelayed: FaultKind<"notifications-delayed", NotificationsDelayed, typeof schema> = {
  kind: "notifications-delayed",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    channel: f.channel,
    delay: f.delay,
    ...selectionOf(f, f.afterNotifications, path, n),
  }),
  parameters: (f) => ({
    channel: f.channel,
    delay: f.delay,
    ...selectionParameters(f, "afterNotifications"),
  }),
  settleEnd: (f) => (f.until ?? f.at) + f.delay,
  vary(data, draws) {
    varyWindow(data, draws);
    varyDuration(data, "delay", draws);
  },
  arbitrary: (a) =>
    a.fc
      .tuple(notificationSelectionArbitrary(a), a.fc.constantFrom("PT5S", "PT30S", "PT2M"))
      .map(([s, delay]) => ({ kind: "notifications-delayed" as const, ...s, delay })),
  effectWords: {
    jobNotificationsDelayed: ["job notification delayed", "job notifications delayed"],
    claimNotificationsDelayed: ["claim notification delayed", "claim notifications delayed"],
  },
  inject(f, world, schedule) {
    const key = f.channel === "jobs" ? "jobNotificationsDelayed" : "claimNotificationsDelayed";
    const p = perturbation(f, world, schedule, key, noNotificationReason(f.channel, f));
    let pending = 0;
    p.rules.onPublish((channel, subject) => {
      const now = world.clock.now();
      if (channel !== f.channel || !p.take(now, now + f.delay, subject)) return "deliver";
      pending += 1;
      return {
        later: (deliver) =>
          world.later(now + f.delay, () => {
            deliver();
            pending -= 1;
            if (pending === 0 && p.complete) p.settled();
          }),
      };
    });
  },
  perturbAt(point, run) {
    const selection = notificationAtPoint(point, run);
    // One reconciliation interval at the default settings: long enough for a daemon's poll to win.
    return selection === null ? null : { kind: "notifications-delayed", delay: "PT1M", ...selection };
  },
};
