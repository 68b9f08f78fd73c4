// How idle provisioner daemons wait for jobs: upstream's provisionerdserver Acquirer, one per coderd
// replica. Daemons that take the same jobs (here: the same `daemonFilter`, upstream: the same
// organization, provisioner types and tags) form a *domain*, and only one daemon of a domain asks
// the database at a time. When that ask finds nothing, the whole domain waits for a job posting
// on the pubsub; each posting wakes one daemon of one domain that could take the job, and a
// posting that arrives while a daemon of the domain is asking makes that daemon ask once more.
// When a daemon gets its job, the next waiting daemon of its domain is let through at once, so a
// backlog drains one daemon after another. As a backup for lost postings, every domain may ask
// once per `provisioners.pollInterval` (upstream: 30 s).
//
// Simulation choices, marked where they are made:
// - Go's map iteration picks which waiting daemon goes next; here a seeded stream picks uniformly.
// - A provisioner outage disconnects every daemon: waiting ones leave their domain when it starts
//   and join again when it ends, as upstream daemons reconnecting to coderd would.
import type { Clock, Duration, Instant, Timer } from "../clock/types.ts";
import { Channel, type Context, type Kernel, type RandomStream, select } from "../kernel/index.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../prebuilds/constants.ts";
import { EVENT_PROVISIONER_JOB_POSTED, type Pubsub, parseJobPosting } from "../prebuilds/pubsub.ts";

/** Which jobs a daemon takes; daemons that take the same jobs share a domain. */
export type DomainKey = "any" | "prebuilds" | "humans";

/** Upstream's backup poll period (`backupPollDuration`), the default of `provisioners.pollInterval`. */
export const UPSTREAM_BACKUP_POLL: Duration = 30_000;

/** One daemon waiting in the acquirer (upstream `acquiree`). */
export class Acquiree {
  /** Upstream: cleared to ask the database; a query may be under way. */
  inProgress = false;
  /** Upstream: a posting came while this acquiree was asking, so it asks again. */
  pending = false;
  /** Capacity 1, as upstream's buffered clearance channel: a grant never waits for the daemon. */
  readonly clearance: Channel<true>;

  constructor(
    kernel: Kernel,
    readonly name: string,
  ) {
    this.clearance = new Channel<true>(kernel, `${name} clearance`, 1);
  }
}

class Domain {
  /** In joining order; which one goes next is drawn (see `#nominate`). */
  readonly acquirees: Acquiree[] = [];
  /** The backup poll; stopped when the domain empties. */
  poll: Timer | null = null;

  constructor(readonly key: DomainKey) {}

  /** Upstream `domain.contains`: whether a daemon of this domain could take a job of this initiator. */
  contains(initiatorId: string): boolean {
    if (this.key === "any") return true;
    return (initiatorId === PREBUILDS_SYSTEM_USER_ID) === (this.key === "prebuilds");
  }
}

export interface AcquirerDeps {
  readonly kernel: Kernel;
  readonly clock: Clock;
  readonly pubsub: Pubsub;
  /** Stands in for Go's map iteration order. */
  readonly picks: RandomStream;
  /** Provisioner outages: when the one covering an instant ends (null when none does). */
  readonly outageEnd: (t: Instant) => Instant | null;
  /** Where provisioner outages begin, so waiting daemons can be disconnected then. */
  readonly outageStarts: readonly Instant[];
}

/** The outcome of one `acquireJob`: a job, or why the daemon stopped waiting. */
export type Acquired<J> = { readonly job: J } | { readonly stopped: "canceled" | "outage" };

export class Acquirer {
  readonly #domains = new Map<DomainKey, Domain>();
  /** Database asks that found a job, and that found none (or were skipped on an empty queue). */
  readonly counts = { asks: 0, found: 0 };

  constructor(
    private readonly deps: AcquirerDeps,
    readonly name: string,
    private readonly backupPoll: Duration,
  ) {
    deps.pubsub.subscribe(EVENT_PROVISIONER_JOB_POSTED, (message) => {
      this.#jobPosted(parseJobPosting(message).initiatorId);
    });
    const now = deps.clock.now();
    for (const at of deps.outageStarts) {
      if (at >= now) deps.clock.afterFunc(at - now, () => this.#disconnectAll(), "acquirer", name, "outage");
    }
  }

  /**
   * Upstream `AcquireJob`: waits for clearance, asks with `ask` (null: no job), and repeats until a
   * job is found, `ctx` ends, or an outage disconnects the daemon.
   */
  async acquireJob<J>(
    ctx: Context,
    key: DomainKey,
    acquiree: Acquiree,
    ask: () => Promise<J | null>,
  ): Promise<Acquired<J>> {
    const { kernel, clock, outageEnd } = this.deps;
    for (;;) {
      this.#want(key, acquiree);
      const woke = await select(kernel, ctx, acquiree.clearance);
      if (woke.index === 0) {
        this.#leave(key, acquiree);
        return { stopped: "canceled" };
      }
      // simulation: an outage is every daemon losing its connection (see the header).
      if (outageEnd(clock.now()) !== null) {
        this.#leave(key, acquiree);
        return { stopped: "outage" };
      }
      if (!acquiree.inProgress) continue; // woken only to notice an outage that has ended since
      this.counts.asks += 1;
      const job = await ask();
      if (job === null) continue;
      this.counts.found += 1;
      this.#done(key, acquiree);
      return { job };
    }
  }

  /** Upstream `want`. */
  #want(key: DomainKey, w: Acquiree): void {
    let cleared = false;
    let d = this.#domains.get(key);
    if (d === undefined) {
      d = new Domain(key);
      this.#domains.set(key, d);
      this.#startPoll(d);
      cleared = true; // a new domain asks at once
    }
    if (!d.acquirees.includes(w)) d.acquirees.push(w);
    if (w.pending) {
      cleared = true;
      w.pending = false;
    }
    w.inProgress = cleared;
    if (cleared) w.clearance.trySend(true);
  }

  /** Upstream `cancel`: a daemon stops waiting; clearance it held passes to another. */
  #leave(key: DomainKey, w: Acquiree): void {
    const d = this.#domains.get(key);
    if (d === undefined) throw new Error(`${this.name}: ${w.name} left domain ${key}, which does not exist`);
    this.#remove(d, w);
    if (w.inProgress && d.acquirees.length > 0) this.#clear(this.#nominate(d));
    w.inProgress = false;
    w.pending = false;
    this.#dropIfEmpty(d);
  }

  /** Upstream `done`: the daemon has its job; the next waiting one asks at once. */
  #done(key: DomainKey, w: Acquiree): void {
    const d = this.#domains.get(key);
    if (d === undefined || !w.inProgress) throw new Error(`${this.name}: ${w.name} done without clearance`);
    this.#remove(d, w);
    w.inProgress = false;
    w.pending = false;
    if (d.acquirees.length > 0) this.#clear(this.#nominate(d));
    this.#dropIfEmpty(d);
  }

  /** Upstream `jobPosted`: one domain that could take the job is woken (domains here never overlap). */
  #jobPosted(initiatorId: string): void {
    for (const d of this.#domains.values()) {
      if (!d.contains(initiatorId)) continue;
      this.#clearOrPend(d);
      return;
    }
  }

  /** Upstream `clearOrPendLocked`: the asking daemon asks again, or one waiting daemon asks. */
  #clearOrPend(d: Domain): void {
    if (d.acquirees.length === 0) return;
    const asking = d.acquirees.find((w) => w.inProgress);
    if (asking !== undefined) {
      asking.pending = true;
      return;
    }
    this.#clear(this.#nominate(d));
  }

  #clear(w: Acquiree): void {
    w.inProgress = true;
    w.clearance.trySend(true);
  }

  /** simulation: Go ranges over a map, in an order the runtime randomises; a seeded draw stands in. */
  #nominate(d: Domain): Acquiree {
    return d.acquirees.length === 1 ? (d.acquirees[0] as Acquiree) : this.deps.picks.choice(d.acquirees);
  }

  #remove(d: Domain, w: Acquiree): void {
    const i = d.acquirees.indexOf(w);
    if (i < 0) throw new Error(`${this.name}: ${w.name} is not waiting in domain ${d.key}`);
    d.acquirees.splice(i, 1);
  }

  #dropIfEmpty(d: Domain): void {
    if (d.acquirees.length > 0) return;
    d.poll?.stop();
    d.poll = null;
    this.#domains.delete(d.key);
  }

  /** Upstream `domain.poll`: a ticker from the domain's creation until it empties. */
  #startPoll(d: Domain): void {
    const tick = (): void => {
      if (this.#domains.get(d.key) !== d) return;
      d.poll = this.deps.clock.afterFunc(this.backupPoll, tick, "acquirer", "backup_poll", this.name);
      this.#clearOrPend(d);
    };
    d.poll = this.deps.clock.afterFunc(this.backupPoll, tick, "acquirer", "backup_poll", this.name);
  }

  /** simulation: an outage begins; every waiting daemon is woken to notice it and disconnect. */
  #disconnectAll(): void {
    for (const d of this.#domains.values()) {
      for (const w of d.acquirees) w.clearance.trySend(true);
    }
  }
}
