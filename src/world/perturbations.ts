// The stale-state and unobserved-state perturbations (issue #13 part 3) as questions the world's
// wrappers ask at the moment something happens: may this notification go out, does this reconciler
// tick (or metrics refresh) happen, how long does this cycle sit on the snapshot it just read. The
// fault modules answer them (each registers a rule when it is injected); the wrappers are the only
// simulation hooks: the deployment's pubsub (`perturbablePubsub.ts`), a replica's tickers
// (`missableTicks.ts`, through `SkewedClock`) and a replica's store (`staleSnapshotStore.ts`).
// With no rule registered every answer is "leave it be" and the wrappers step aside, so runs
// without these faults are unchanged.
import type { Duration, Instant } from "../clock/types.ts";

/** The notifications a fault can drop or delay: the reconciler's job postings, the claims' agent events. */
export type NotificationChannel = "jobs" | "claims";

/** A replica's periodic work: its reconciliation loop's ticker and its metrics refresher. */
export type TickerName = "reconcile" | "metrics";

/** What happens to one notification: sent as usual, lost, or handed over to be sent later. */
export type PublishVerdict = "deliver" | "drop" | { readonly later: (deliver: () => void) => void };

/** A rule sees the notification's channel and what it is about: the posted job's id, the claimed workspace's id. */
type PublishRule = (channel: NotificationChannel, subject: string) => PublishVerdict;
/** How long the cycle waits on the snapshot it just read; 0: not at all. */
type SnapshotRule = (replica: string) => Duration;
type TickRule = (replica: string, ticker: TickerName, due: Instant) => boolean;

export class Perturbations {
  readonly #publish: PublishRule[] = [];
  readonly #snapshot: SnapshotRule[] = [];
  readonly #ticks: TickRule[] = [];

  onPublish(rule: PublishRule): void {
    this.#publish.push(rule);
  }

  onSnapshot(rule: SnapshotRule): void {
    this.#snapshot.push(rule);
  }

  onTick(rule: TickRule): void {
    this.#ticks.push(rule);
  }

  get watchesPublishes(): boolean {
    return this.#publish.length > 0;
  }

  get watchesSnapshots(): boolean {
    return this.#snapshot.length > 0;
  }

  /** Asked once per notification; the first rule (in file order) that takes it decides. */
  publish(channel: NotificationChannel, subject: string): PublishVerdict {
    for (const rule of this.#publish) {
      const verdict = rule(channel, subject);
      if (verdict !== "deliver") return verdict;
    }
    return "deliver";
  }

  /** Asked once per reconciliation snapshot, right after it was read. */
  snapshotTaken(replica: string): Duration {
    for (const rule of this.#snapshot) {
      const wait = rule(replica);
      if (wait > 0) return wait;
    }
    return 0;
  }

  /** Asked once per tick (by its due instant on the shared clock): whether it is missed. */
  missTick(replica: string, ticker: TickerName, due: Instant): boolean {
    return this.#ticks.some((rule) => rule(replica, ticker, due));
  }
}
