// `provisioner-outage`: every provisioner daemon stops taking jobs for a window; jobs already
// running finish, the queue waits. The daemons ask `FaultWindows` whether an outage covers now.
import { z } from "zod";
import type { FaultWindow } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, faultDuration, kindField, varyWindow, windowOf } from "./fields.ts";

export type ProvisionerOutage = { readonly kind: "provisioner-outage" } & FaultWindow;

const schema = z.strictObject({
  kind: kindField("provisioner-outage", "No provisioner daemon takes a job inside the window."),
  at: faultAt,
  duration: faultDuration,
});

export const provisionerOutage: FaultKind<"provisioner-outage", ProvisionerOutage, typeof schema> = {
  kind: "provisioner-outage",
  schema,
  normalise(f, path, n) {
    return { kind: f.kind, ...windowOf(f, path, n) };
  },
  parameters: () => ({}),
  settleEnd: (f) => f.until,
  vary: varyWindow,
  arbitrary: (a) => a.window.map((w) => ({ kind: "provisioner-outage" as const, ...w })),
  effectWords: { jobsHeld: ["job held in the queue", "jobs held in the queue"] },
  inject(f, world, schedule) {
    // Jobs waiting when it starts, and every job queued inside it, wait for its end.
    let held = 0;
    let enqueuedBefore = 0;
    schedule(f.at, 0, () => {
      world.start(f.until);
      held = world.queue.pending.prebuild + world.queue.pending.human;
      enqueuedBefore = world.queue.enqueued;
    });
    schedule(f.until, 1, () => {
      world.end();
      const jobsHeld = held + world.queue.enqueued - enqueuedBefore;
      world.outcome({ jobsHeld }, f.until, "no job waited for a provisioner inside the window");
    });
  },
};
