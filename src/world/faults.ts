// What goes wrong (SCENARIOS.md `faults`), as one task walking the fault timeline. Windowed faults
// that components ask about (provisioner outages, build failures, a full provision-notify queue)
// act through `FaultWindows`; database errors through the db layer's fault rules, installed before
// the run; this task marks their windows in the trace. Instantaneous faults act here: a lock
// connection is lost, a replica crashes (and restarts after `restartAfter`), a replica's clock is
// skewed from now on. Moments at the same instant happen in file order, a window's end after
// everything that starts at that instant.
import type { Clock, Instant } from "../clock/types.ts";
import type { Database } from "../db/database.ts";
import { type Context, type Kernel, select } from "../kernel/index.ts";
import { presetRefKey } from "../scenario/presetRef.ts";
import type { Fault } from "../scenario/scenario.ts";
import type { TraceRecord } from "../trace/trace.ts";
import type { Replica } from "./replica.ts";

export const FAULT_ACTOR = "fault";

/** Installs the database-error windows as db-layer fault rules (they check their windows themselves). */
export function installDatabaseFaults(database: Database, faults: readonly Fault[]): void {
  for (const f of faults) {
    if (f.kind !== "db-errors") continue;
    database.faults.add({ query: f.query ?? "*", probability: f.rate, from: f.at, until: f.until });
  }
}

interface Moment {
  readonly at: Instant;
  /** 0: starts and instantaneous faults; 1: ends of windows (and restarts). */
  readonly phase: 0 | 1;
  readonly index: number;
  readonly act: () => void;
}

/** The fault's own parameters, as `fault.start` records them. */
function parameters(f: Fault): Record<string, unknown> {
  switch (f.kind) {
    case "provisioner-outage":
    case "notification-queue-full":
      return {};
    case "build-failures":
      return {
        rate: f.rate,
        preset: f.preset === null ? null : presetRefKey(f.preset),
        transition: f.transition,
      };
    case "db-errors":
      return { rate: f.rate, query: f.query };
    case "lock-connection-lost":
      return { replica: f.replica.name };
    case "replica-crash":
      return { replica: f.replica.name, restartAfter: f.restartAfter };
    case "clock-skew":
      return { replica: f.replica.name, offset: f.offset };
  }
}

function iso(t: Instant): string {
  return new Date(t).toISOString();
}

export class FaultInjector {
  constructor(
    private readonly deps: {
      readonly clock: Clock;
      readonly database: Database;
      readonly replicas: readonly Replica[];
      readonly emit: (record: TraceRecord) => void;
    },
  ) {}

  #replica(name: string): Replica {
    const r = this.deps.replicas.find((x) => x.name === name);
    if (r === undefined) throw new Error(`fault names replica ${name}, which the deployment lacks`);
    return r;
  }

  #start(f: Fault, until: Instant | null): void {
    const record: TraceRecord = { actor: FAULT_ACTOR, kind: "fault.start", fault: f.kind, ...parameters(f) };
    if (until !== null) record.until = iso(until);
    this.deps.emit(record);
  }

  #end(f: Fault): void {
    this.deps.emit({ actor: FAULT_ACTOR, kind: "fault.end", fault: f.kind });
  }

  #warn(msg: string, fields: Record<string, unknown>): void {
    this.deps.emit({ actor: FAULT_ACTOR, kind: "log", level: "warn", msg, fields });
  }

  /** Every moment of the timeline, in the order they happen. */
  moments(faults: readonly Fault[]): Moment[] {
    const out: Moment[] = [];
    faults.forEach((f, index) => {
      const at = (t: Instant, phase: 0 | 1, act: () => void) => out.push({ at: t, phase, index, act });
      switch (f.kind) {
        case "provisioner-outage":
        case "build-failures":
        case "db-errors":
        case "notification-queue-full":
          at(f.at, 0, () => this.#start(f, f.until));
          at(f.until, 1, () => this.#end(f));
          return;
        case "lock-connection-lost":
          at(f.at, 0, () => {
            this.#start(f, null);
            this.deps.database.loseConnection(f.replica.name);
          });
          return;
        case "clock-skew":
          at(f.at, 0, () => {
            this.#start(f, null);
            this.#replica(f.replica.name).clock.setOffset(f.offset);
          });
          return;
        case "replica-crash": {
          const restartAt = f.restartAfter === null ? null : f.at + f.restartAfter;
          at(f.at, 0, () => {
            this.#start(f, restartAt);
            const replica = this.#replica(f.replica.name);
            if (!replica.up) {
              this.#warn("replica already down; crash fault has no effect", { replica: replica.name });
              return;
            }
            replica.crash(new Error(`replica-crash fault at ${iso(f.at)}`));
          });
          if (restartAt !== null) {
            at(restartAt, 1, () => {
              const replica = this.#replica(f.replica.name);
              if (replica.up) {
                this.#warn("replica already running; restart has no effect", { replica: replica.name });
              } else {
                replica.start();
              }
              this.#end(f);
            });
          }
          return;
        }
      }
    });
    return out.sort((a, b) => a.at - b.at || a.phase - b.phase || a.index - b.index);
  }

  /** The fault task: acts at each moment; returns when done or canceled. */
  async run(kernel: Kernel, ctx: Context, faults: readonly Fault[]): Promise<void> {
    const { clock } = this.deps;
    for (const m of this.moments(faults)) {
      const wait = m.at - clock.now();
      if (wait > 0) {
        const timer = clock.newTimer(wait, FAULT_ACTOR);
        const woke = await select(kernel, ctx, timer.c);
        timer.stop();
        if (woke.index === 0) return;
      }
      m.act();
    }
  }
}
