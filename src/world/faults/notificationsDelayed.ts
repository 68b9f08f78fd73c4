// `notifications-delayed`: the unobserved-state perturbation (issue #13 part 3) of a message held
// up between its publisher and its listeners for `delay` — a reconciler's job posting (a daemon
// may find the job by polling first) or a claim's event for the workspace's agent (it reinitialises
// that much later). The publisher goes on at once, as with a slow broker.
import { z } from "zod";
import type { Duration, Instant } from "../../clock/types.ts";
import { durationField } from "../../scenario/fields.ts";
import type { Moment } from "../../scenario/scenario.ts";
import type { NotificationChannel } from "../perturbations.ts";
import type { FaultKind } from "./faultKind.ts";
import {
  faultAt,
  kindField,
  noNotificationReason,
  notificationChannelField,
  varyDuration,
  varyWindow,
} from "./fields.ts";
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
  at: faultAt,
  channel: notificationChannelField,
  delay: durationField("positive").meta({
    description: "How long each taken notification is held before its listeners get it.",
    examples: ["PT10S", "PT2M"],
  }),
  count: countField("notifications").optional(),
  duration: selectionDuration.optional(),
  afterNotifications: afterField("notifications of the channel").optional(),
});

/** The effect's key: `jobNotificationsDelayed` or `claimNotificationsDelayed`. */
function effectKey(channel: NotificationChannel): string {
  return channel === "jobs" ? "jobNotificationsDelayed" : "claimNotificationsDelayed";
}

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
    a.fc.record(
      {
        kind: a.fc.constant("notifications-delayed" as const),
        at: a.at,
        channel: a.fc.constantFrom("jobs" as const, "claims" as const),
        delay: a.fc.constantFrom("PT5S", "PT30S", "PT2M"),
        count: a.fc.integer({ min: 1, max: 5 }),
        afterNotifications: a.fc.integer({ min: 0, max: 10 }),
      },
      { requiredKeys: ["kind", "at", "channel", "delay"] },
    ),
  effectWords: {
    jobNotificationsDelayed: ["job notification delayed", "job notifications delayed"],
    claimNotificationsDelayed: ["claim notification delayed", "claim notifications delayed"],
  },
  inject(f, world, schedule) {
    const taken = new Occurrences(f);
    let last: Instant = f.at;
    let pending = 0;
    const timeline = scheduleSelection(f, world, schedule, () => ({
      effect: { [effectKey(f.channel)]: taken.taken },
      until: last,
      noop: noNotificationReason(f.channel, f),
    }));
    perturbationsOf(world).onPublish((channel) => {
      const now = world.clock.now();
      if (channel !== f.channel || !taken.take(now)) return "deliver";
      timeline.begin();
      last = now + f.delay;
      pending += 1;
      return {
        later: (deliver) =>
          world.later(now + f.delay, () => {
            deliver();
            pending -= 1;
            if (pending === 0 && taken.complete) timeline.settled();
          }),
      };
    });
  },
};
