// What goes wrong (SCENARIOS.md `faults`), as one task walking the fault timeline. Each fault
// kind's module puts its acts on the timeline (`inject`); windowed faults that components ask
// about (provisioner outages, build failures, a full provision-notify queue) act through
// `FaultWindows` and only mark their windows here; database errors act through the db layer's
// fault rules, installed before the run. Moments at the same instant happen in file order, a
// window's end after everything that starts at that instant.
import type { Clock, Instant } from "../../clock/types.ts";
import type { Database } from "../../db/database.ts";
import { type Context, type Kernel, select } from "../../kernel/index.ts";
import type { TraceRecord } from "../../trace/trace.ts";
import type { Replica } from "../replica.ts";
import { installDbErrors } from "./dbErrors.ts";
import type { FaultWorld } from "./faultKind.ts";
import { type Fault, faultModule } from "./registry.ts";

export const FAULT_ACTOR = "fault";

/** Installs the database-error windows as db-layer fault rules (they check their windows themselves). */
export function installDatabaseFaults(database: Database, faults: readonly Fault[]): void {
  for (const f of faults) if (f.kind === "db-errors") installDbErrors(database, f);
}

interface Moment {
  readonly at: Instant;
  /** 0: starts and instantaneous faults; 1: ends of windows (and restarts). */
  readonly phase: 0 | 1;
  readonly index: number;
  readonly act: () => void;
}

function iso(t: Instant): string {
  return new Date(t).toISOString();
}

export interface FaultInjectorDeps {
  readonly clock: Clock;
  readonly database: Database;
  readonly replicas: readonly Replica[];
  readonly emit: (record: TraceRecord) => void;
}

export class FaultInjector {
  constructor(private readonly deps: FaultInjectorDeps) {}

  #world(f: Fault): FaultWorld {
    const { emit, replicas } = this.deps;
    const module = faultModule(f.kind);
    return {
      ...this.deps,
      replica(name) {
        const r = replicas.find((x) => x.name === name);
        if (r === undefined) throw new Error(`fault names replica ${name}, which the deployment lacks`);
        return r;
      },
      start(until) {
        const record: TraceRecord = {
          actor: FAULT_ACTOR,
          kind: "fault.start",
          fault: f.kind,
          ...module.parameters(f),
        };
        if (until !== null) record.until = iso(until);
        emit(record);
      },
      end: () => emit({ actor: FAULT_ACTOR, kind: "fault.end", fault: f.kind }),
      warn: (msg, fields) => emit({ actor: FAULT_ACTOR, kind: "log", level: "warn", msg, fields }),
    };
  }

  /** Every moment of the timeline, in the order they happen. */
  moments(faults: readonly Fault[]): Moment[] {
    const out: Moment[] = [];
    faults.forEach((f, index) => {
      faultModule(f.kind).inject(f, this.#world(f), (at, phase, act) => out.push({ at, phase, index, act }));
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
