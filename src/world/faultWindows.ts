// The windowed faults of a scenario, as questions components ask about an instant: is the
// provisioner fleet down (and until when), is the provision-notify queue full, which build-failure
// windows exist. Windows are known before the run starts, so the answers are pure functions of the
// virtual time and nothing has to be switched on and off at the right moment.
import type { Instant } from "../clock/types.ts";
import type { Fault } from "../scenario/scenario.ts";
import { type BuildFailureWindow, type BuildToJudge, windowCovers } from "./buildFailures.ts";

type Windowed<K extends Fault["kind"]> = Extract<Fault, { kind: K }>;

function covers(w: { at: Instant; until: Instant }, t: Instant): boolean {
  return t >= w.at && t < w.until;
}

export class FaultWindows {
  readonly outages: readonly Windowed<"provisioner-outage">[];
  readonly buildFailures: readonly BuildFailureWindow[];
  readonly notificationQueueFull: readonly Windowed<"notification-queue-full">[];
  readonly #dropped = new Map<Windowed<"notification-queue-full">, number>();
  readonly #builds = new Map<BuildFailureWindow, { covered: number; failed: number }>();

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

  /**
   * Whether the provision-notify queue refuses every notification at `t`. Asked once per
   * notification, so a refusal is a dropped notification, counted for each window covering `t`.
   */
  notificationsRefused(t: Instant): boolean {
    let refused = false;
    for (const w of this.notificationQueueFull) {
      if (!covers(w, t)) continue;
      refused = true;
      this.#dropped.set(w, (this.#dropped.get(w) ?? 0) + 1);
    }
    return refused;
  }

  /** Notifications the window refused. */
  droppedBy(w: Windowed<"notification-queue-full">): number {
    return this.#dropped.get(w) ?? 0;
  }

  /** A build finished at `t`: counted, failed or not, for every build-failure window that covers it. */
  noteBuild(build: BuildToJudge, t: Instant, failed: boolean): void {
    for (const w of this.buildFailures) {
      if (!windowCovers(w, build, t)) continue;
      const counts = this.#builds.get(w) ?? { covered: 0, failed: 0 };
      counts.covered += 1;
      if (failed) counts.failed += 1;
      this.#builds.set(w, counts);
    }
  }

  /** Builds the window covered, and how many of them failed. */
  buildsIn(w: BuildFailureWindow): { covered: number; failed: number } {
    return this.#builds.get(w) ?? { covered: 0, failed: 0 };
  }
}
