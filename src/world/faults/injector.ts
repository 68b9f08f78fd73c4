// What goes wrong (SCENARIOS.md `faults`), as one task walking the fault timeline. Each fault
// kind's module puts its acts on the timeline (`inject`); windowed faults that components ask
// about (provisioner outages, build failures, a full provision-notify queue) act through
// `FaultWindows` and only mark their windows here; database errors act through the db layer's
// fault rules; cycle-triggered faults wait in the `CycleWatch` for the statement they strike at.
// Moments at the same instant happen in file order, a window's end after everything that starts
// at that instant.
//
// Every fault reports what it did, once (`fault.effect`, or `fault.noop` when it changed nothing):
// when its effect is complete, or when the run ends (`finish`).
import type { Instant } from "../../clock/types.ts";
import type { Database } from "../../db/database.ts";
import type { RandomStream } from "../../kernel/index.ts";
import { select } from "../../kernel/index.ts";
import type { TraceRecord } from "../../trace/trace.ts";
import type { Perturbations } from "../perturbations.ts";
import type { Replica } from "../replica.ts";
import type { World } from "../world.ts";
import { CycleWatch } from "./cycleWatch.ts";
import { installDbErrors } from "./dbErrors.ts";
import type { FaultWorld } from "./faultKind.ts";
import { type Fault, faultModule } from "./registry.ts";

export const FAULT_ACTOR = "fault";

/** Seeded trigger points: up to this many statements into a cycle (a cycle's snapshot and its first writes). */
export const MAX_DRAWN_STATEMENTS = 24;

/** Installs the windowed database-error faults as db-layer fault rules (they check their windows themselves). */
export function installDatabaseFaults(database: Database, faults: readonly Fault[]): void {
  faults.forEach((f, index) => {
    if (f.kind === "db-errors") installDbErrors(database, f, index);
  });
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

/** What the injector uses of the world; its fault kinds get the parts they act on (`FaultWorld`). */
export type FaultInjectorWorld = Pick<
  World,
  "kernel" | "ctx" | "clock" | "database" | "faults" | "queue" | "emit" | "stream" | "perturbations"
>;

export interface FaultInjectorOptions {
  /** The deployment's replicas, which faults crash, restart, skew and cut off. */
  readonly replicas: readonly Replica[];
}

export class FaultInjector {
  readonly #cycles: CycleWatch;
  readonly #failedQueries = new Map<number, number>();
  readonly #unreported = new Map<number, () => void>();
  readonly #reported = new Set<number>();
  readonly #perturbations: Perturbations;

  constructor(
    private readonly world: FaultInjectorWorld,
    private readonly options: FaultInjectorOptions,
  ) {
    this.#cycles = new CycleWatch(world.database);
    this.#perturbations = world.perturbations;
    world.database.faults.subscribe((e) => {
      if (e.tag !== undefined) this.#failedQueries.set(e.tag, (this.#failedQueries.get(e.tag) ?? 0) + 1);
    });
  }

  #world(f: Fault, index: number, trigger: RandomStream): FaultWorld {
    const { emit, kernel, ctx, clock, database, queue } = this.world;
    const { replicas } = this.options;
    const module = faultModule(f.kind);
    const unreported = this.#unreported;
    const reported = this.#reported;
    return {
      clock,
      database,
      replicas,
      windows: this.world.faults,
      queue,
      cycles: this.#cycles,
      perturbations: this.#perturbations,
      index,
      replica(name) {
        const r = replicas.find((x) => x.name === name);
        if (r === undefined) throw new Error(`fault names replica ${name}, which the deployment lacks`);
        return r;
      },
      start(until, extra) {
        const record: TraceRecord = {
          actor: FAULT_ACTOR,
          kind: "fault.start",
          fault: f.kind,
          index,
          ...module.parameters(f),
          ...extra,
        };
        if (until !== null) record.until = iso(until);
        emit(record);
      },
      end: () => emit({ actor: FAULT_ACTOR, kind: "fault.end", fault: f.kind, index }),
      armed: (replica, afterStatements) =>
        emit({ actor: FAULT_ACTOR, kind: "fault.armed", fault: f.kind, index, replica, afterStatements }),
      warn: (msg, fields) => emit({ actor: FAULT_ACTOR, kind: "log", level: "warn", msg, fields }),
      drawStatements: () => trigger.int(MAX_DRAWN_STATEMENTS),
      later(at, act) {
        kernel.spawn(`${FAULT_ACTOR}/${index}`, async () => {
          const timer = clock.newTimer(Math.max(0, at - clock.now()), FAULT_ACTOR);
          const woke = await select(kernel, ctx, timer.c);
          timer.stop();
          if (woke.index === 1) act();
        });
      },
      queriesFailed: () => this.#failedQueries.get(index) ?? 0,
      outcome(effect, until, noopReason, subjects) {
        if (reported.has(index)) return;
        reported.add(index);
        unreported.delete(index);
        if (Object.values(effect).some((n) => n > 0)) {
          emit({
            actor: FAULT_ACTOR,
            kind: "fault.effect",
            fault: f.kind,
            index,
            effect,
            until: iso(until),
            ...(subjects === undefined || subjects.length === 0 ? {} : { subjects: [...subjects] }),
          });
        } else {
          emit({ actor: FAULT_ACTOR, kind: "fault.noop", fault: f.kind, index, reason: noopReason });
        }
      },
      onRunEnd: (report) => unreported.set(index, report),
    };
  }

  /** Every moment of the timeline, in the order they happen. */
  moments(faults: readonly Fault[]): Moment[] {
    const out: Moment[] = [];
    const ofKind = new Map<string, number>();
    faults.forEach((f, index) => {
      // Each fault draws from its own stream, named by its kind and its place among that kind's
      // faults: dropping another fault (shrink) leaves its draws as they were.
      const ordinal = ofKind.get(f.kind) ?? 0;
      ofKind.set(f.kind, ordinal + 1);
      const trigger = this.world.stream(faultTriggerStream(f.kind, ordinal));
      faultModule(f.kind).inject(f, this.#world(f, index, trigger), (at, phase, act) =>
        out.push({ at, phase, index, act }),
      );
    });
    return out.sort((a, b) => a.at - b.at || a.phase - b.phase || a.index - b.index);
  }

  /** The fault task: acts at each moment; returns when done or canceled. */
  async run(faults: readonly Fault[]): Promise<void> {
    const { clock, kernel, ctx } = this.world;
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

  /** The run ended: every fault that has not reported its outcome reports it now, in file order. */
  finish(): void {
    for (const index of [...this.#unreported.keys()].sort((a, b) => a - b)) this.#unreported.get(index)?.();
  }
}

/** The stream fault number `ordinal` of its kind (0 for the first) draws its trigger points from. */
export function faultTriggerStream(kind: string, ordinal: number): string {
  return `faults/${kind}/${ordinal}/trigger`;
}
