// `notification-queue-full`: every replica's provision-notify queue refuses notifications for a
// window (the reconciler drops them, `notify.drop`); daemons find the jobs at their next poll.
import { z } from "zod";
import type { FaultWindow } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, faultDuration, kindField, varyWindow, windowOf } from "./fields.ts";

export type NotificationQueueFull = { readonly kind: "notification-queue-full" } & FaultWindow;

const schema = z.strictObject({
  kind: kindField(
    "notification-queue-full",
    "Every replica's provision-notify queue refuses jobs inside the window.",
  ),
  at: faultAt,
  duration: faultDuration,
});

export const notificationQueueFull: FaultKind<
  "notification-queue-full",
  NotificationQueueFull,
  typeof schema
> = {
  kind: "notification-queue-full",
  schema,
  normalise: (f, path, n) => ({ kind: f.kind, ...windowOf(f, path, n) }),
  parameters: () => ({}),
  settleEnd: (f) => f.until,
  vary: varyWindow,
  arbitrary: (a) => a.window.map((w) => ({ kind: "notification-queue-full" as const, ...w })),
  effectWords: { notificationsDropped: ["job notification dropped", "job notifications dropped"] },
  inject(f, world, schedule) {
    schedule(f.at, 0, () => world.start(f.until));
    schedule(f.until, 1, () => {
      world.end();
      const notificationsDropped = world.windows.droppedBy(f);
      world.outcome(
        { notificationsDropped },
        f.until,
        "no replica sent a job notification inside the window",
      );
    });
  },
};
