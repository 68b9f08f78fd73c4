// The windowed faults of a scenario, as questions components ask about an instant: is the
// provisioner fleet down (and until when), is the provision-notify queue full, which build-failure
// windows exist. Windows are known before the run starts, so the answers are pure functions of the
// virtual time and nothing has to be switched on and off at the right moment.
import type { Instant } from "../clock/types.ts";
import type { Fault } from "../scenario/scenario.ts";
import type { BuildFailureWindow } from "./buildFailures.ts";

type Windowed<K extends Fault["kind"]> = Extract<Fault, { kind: K }>;

function covers(w: { at: Instant; until: Instant }, t: Instant): boolean {
  return t >= w.at && t < w.until;
}

export class FaultWindows {
  readonly outages: readonly Windowed<"provisioner-outage">[];
  readonly buildFailures: readonly BuildFailureWindow[];
  readonly notificationQueueFull: readonly Windowed<"notification-queue-full">[];

  constructor(faults: readonly Fault[]) {
    this.outages = faults.filter((f): f is Windowed<"provisioner-outage"> => f.kind === "provisioner-outage");
    this.buildFailures = faults.filter((f): f is BuildFailureWindow => f.kind === "build-failures");
    this.notificationQueueFull = faults.filter(
      (f): f is Windowed<"notification-queue-full"> => f.kind === "notification-queue-full",
    );
  }

  /**
   * When the provisioner outage covering `t` ends, or null when none covers it. Overlapping and
   * back-to-back windows are one outage: daemons stay down until the last of them ends.
   */
  outageEnd(t: Instant): Instant | null {
    let end: Instant | null = null;
    for (;;) {
      const probe: Instant = end ?? t;
      const covering = this.outages.filter((w) => covers(w, probe));
      if (covering.length === 0) return end;
      end = Math.max(...covering.map((w) => w.until));
    }
  }

  /** Whether the provision-notify queue refuses every notification at `t`. */
  notificationsRefused(t: Instant): boolean {
    return this.notificationQueueFull.some((w) => covers(w, t));
  }
}
