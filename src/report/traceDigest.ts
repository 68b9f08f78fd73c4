// What the report takes from trace.jsonl, gathered in one pass: the operator timeline, fault windows,
// backoff periods, hard-limit moments, claims, reconcile cycles, lock events and warnings. Lines are
// read one at a time (see trace/readTrace.ts), so a long run's trace never has to fit in memory twice.
import type { TraceKinds } from "../trace/events.ts";
import type { TraceLine } from "../trace/trace.ts";
import { type Interval, mergeIntervals } from "./intervals.ts";
import { parseTraceInstant } from "./timeFormat.ts";
import type { Instant } from "./timeUnits.ts";

export interface OperatorMark {
  t: Instant;
  line: number;
  /** the trace kind without its `operator.` prefix: `promote`, `setDesired`, … */
  action: string;
  /** a few words for a chart label */
  label: string;
  template?: string;
  version?: string;
  /** the preset a `setDesired` names, as the trace writes it */
  preset?: string;
}

export interface FaultWindow {
  fault: string;
  from: Instant;
  /** null for an instantaneous fault (a lost lock connection, for one) */
  to: Instant | null;
  line: number;
  /** `template/preset` or `template/version/preset` when the fault targets one preset */
  preset?: string;
  /** the replica (name or number from 0) when the fault targets one */
  replica?: string | number;
  /** the fault's position in the scenario's `faults`, when the trace line names it */
  index?: number;
  /** a `fault.noop` line said the fault changed nothing */
  noop?: boolean;
}

export interface HardLimitMark {
  preset: string;
  t: Instant;
  line: number;
}

export interface ClaimOutcome {
  t: Instant;
  preset: string;
  hit: boolean;
}

export interface ClaimWait {
  t: Instant;
  hit: boolean;
  waitMs: number;
}

export interface CycleRecord {
  replica: string;
  from: Instant;
  /** null when the run ended mid-cycle */
  to: Instant | null;
  elapsedMs: number | null;
  lockAcquired: boolean | null;
}

export interface LockEvent {
  event: "acquire" | "refused" | "release" | "lost";
  replica: string;
  lock: number;
  connection: string;
  t: Instant;
  line: number;
  /** for `refused`: who held it */
  holder?: string;
}

export interface LogDigest {
  level: string;
  msg: string;
  count: number;
  firstAt: Instant;
  firstLine: number;
  actors: string[];
}

export interface TraceDigest {
  lineCount: number;
  operator: OperatorMark[];
  faults: FaultWindow[];
  /** preset key → merged backoff periods */
  backoffs: Map<string, Interval[]>;
  hardLimits: HardLimitMark[];
  claims: ClaimOutcome[];
  waits: ClaimWait[];
  cycles: CycleRecord[];
  lockEvents: LockEvent[];
  logs: LogDigest[];
  /** workspace id → the preset key its reconciler builds named */
  workspacePreset: Map<string, string>;
}

type Fields<K extends keyof TraceKinds> = TraceKinds[K];

const LOG_LEVEL_ORDER: Record<string, number> = { critical: 0, error: 1, warn: 2 };

function operatorLabel(action: string, line: TraceLine): string {
  switch (action) {
    case "promote":
      return `promote ${String(line.version)}`;
    case "setDesired":
      return `desired → ${String(line.instances)}`;
    case "pause":
      return line.paused === true ? "pause" : "resume";
    case "invalidate":
      return "invalidate";
    case "deprecate":
      return "deprecate";
    case "deleteTemplate":
      return "delete template";
    default:
      return action;
  }
}

/** Accumulates a digest; `add` every line in order, then `finish`. */
export class TraceDigestBuilder {
  #lineCount = 0;
  readonly #operator: OperatorMark[] = [];
  readonly #faults: FaultWindow[] = [];
  readonly #backoffs = new Map<string, Interval[]>();
  readonly #hardLimits: HardLimitMark[] = [];
  readonly #lastStatus = new Map<string, string>();
  readonly #claims: ClaimOutcome[] = [];
  readonly #waits: ClaimWait[] = [];
  readonly #cycles: CycleRecord[] = [];
  readonly #openCycle = new Map<string, CycleRecord>();
  readonly #lockEvents: LockEvent[] = [];
  readonly #logs = new Map<string, LogDigest>();
  readonly #workspacePreset = new Map<string, string>();

  /**
   * The window a `fault.noop` line is about: the one with its `index` when both carry one, else the
   * earliest window of that fault (and replica, when named) started by then and not yet marked.
   */
  #markNoop(line: TraceLine, t: Instant): void {
    const byIndex =
      typeof line.index === "number" ? this.#faults.find((f) => f.index === line.index) : undefined;
    const window =
      byIndex ??
      this.#faults.find(
        (f) =>
          f.noop !== true &&
          f.fault === line.fault &&
          f.from <= t &&
          (line.replica === undefined || f.replica === line.replica),
      );
    if (window !== undefined) window.noop = true;
  }

  add(line: TraceLine, lineNumber: number): void {
    this.#lineCount = lineNumber;
    const t = parseTraceInstant(line.t, `trace.jsonl line ${lineNumber} (${line.kind}) field t`);
    const field = <K extends keyof TraceKinds, F extends keyof Fields<K> & string>(
      _kind: K,
      name: F,
      type: "string" | "number" | "boolean",
    ): Fields<K>[F] => {
      const value = line[name];
      if (typeof value !== type)
        throw new Error(
          `report: trace.jsonl line ${lineNumber} (${line.kind}): field ${name} should be a ${type}, got ${JSON.stringify(value)}`,
        );
      return value as Fields<K>[F];
    };

    if (line.kind.startsWith("operator.")) {
      const action = line.kind.slice("operator.".length);
      const mark: OperatorMark = { t, line: lineNumber, action, label: operatorLabel(action, line) };
      if (typeof line.template === "string") mark.template = line.template;
      if (typeof line.version === "string") mark.version = line.version;
      if (typeof line.preset === "string") mark.preset = line.preset;
      this.#operator.push(mark);
      return;
    }

    switch (line.kind) {
      case "fault.start": {
        const until = line.until;
        const window: FaultWindow = {
          fault: field("fault.start", "fault", "string"),
          from: t,
          to:
            typeof until === "string"
              ? parseTraceInstantOrIso(until, `trace.jsonl line ${lineNumber} (fault.start) field until`)
              : null,
          line: lineNumber,
        };
        if (typeof line.preset === "string") window.preset = line.preset;
        if (typeof line.replica === "string" || typeof line.replica === "number")
          window.replica = line.replica;
        if (typeof line.index === "number") window.index = line.index;
        this.#faults.push(window);
        return;
      }
      case "fault.noop": {
        this.#markNoop(line, t);
        return;
      }
      case "fault.end": {
        const fault = field("fault.end", "fault", "string");
        // The earliest window of that fault still open: windows of one fault kind end in start order.
        const open = this.#faults.find(
          (f) => f.fault === fault && (f.to === null || f.to > t) && f.from <= t,
        );
        if (open !== undefined) open.to = t;
        return;
      }
      case "reconcile.preset": {
        const preset = field("reconcile.preset", "preset", "string");
        const actions = line.actions;
        if (!Array.isArray(actions)) return;
        for (const action of actions as Array<{ backoffUntil?: unknown }>) {
          if (typeof action?.backoffUntil !== "string") continue;
          const until = parseTraceInstantOrIso(
            action.backoffUntil,
            `trace.jsonl line ${lineNumber} (reconcile.preset) backoffUntil`,
          );
          const list = this.#backoffs.get(preset) ?? [];
          list.push({ from: t, to: Math.max(t, until) });
          this.#backoffs.set(preset, list);
        }
        return;
      }
      case "preset.status": {
        const preset = field("preset.status", "preset", "string");
        const status = field("preset.status", "status", "string");
        if (status === "hard_limited" && this.#lastStatus.get(preset) !== "hard_limited")
          this.#hardLimits.push({ preset, t, line: lineNumber });
        this.#lastStatus.set(preset, status);
        return;
      }
      case "claim.result":
        this.#claims.push({
          t,
          preset: field("claim.result", "preset", "string"),
          hit: field("claim.result", "hit", "boolean"),
        });
        return;
      case "claim.ready":
        this.#waits.push({
          t,
          hit: field("claim.ready", "hit", "boolean"),
          waitMs: field("claim.ready", "waitMs", "number"),
        });
        return;
      case "reconcile.cycle.start": {
        const cycle: CycleRecord = {
          replica: line.actor,
          from: t,
          to: null,
          elapsedMs: null,
          lockAcquired: null,
        };
        this.#cycles.push(cycle);
        this.#openCycle.set(line.actor, cycle);
        return;
      }
      case "reconcile.cycle.end": {
        const cycle = this.#openCycle.get(line.actor);
        if (cycle === undefined)
          throw new Error(
            `report: trace.jsonl line ${lineNumber}: ${line.actor} ends a reconcile cycle it never started`,
          );
        cycle.to = t;
        cycle.elapsedMs = field("reconcile.cycle.end", "elapsedMs", "number");
        cycle.lockAcquired = field("reconcile.cycle.end", "lockAcquired", "boolean");
        this.#openCycle.delete(line.actor);
        return;
      }
      case "lock.acquire":
      case "lock.refused":
      case "lock.release":
      case "lock.lost": {
        const event: LockEvent = {
          event: line.kind.slice("lock.".length) as LockEvent["event"],
          replica: line.actor,
          lock: field("lock.acquire", "lock", "number"),
          connection: field("lock.acquire", "connection", "string"),
          t,
          line: lineNumber,
        };
        if (line.kind === "lock.refused") event.holder = field("lock.refused", "holder", "string");
        this.#lockEvents.push(event);
        return;
      }
      case "build.create": {
        const preset = line.preset;
        if (typeof preset === "string")
          this.#workspacePreset.set(field("build.create", "workspace", "string"), preset);
        return;
      }
      case "log": {
        const level = field("log", "level", "string");
        const msg = field("log", "msg", "string");
        const key = `${level}\u0000${msg}`;
        const seen = this.#logs.get(key);
        if (seen === undefined) {
          this.#logs.set(key, {
            level,
            msg,
            count: 1,
            firstAt: t,
            firstLine: lineNumber,
            actors: [line.actor],
          });
        } else {
          seen.count++;
          if (!seen.actors.includes(line.actor)) seen.actors.push(line.actor);
        }
        return;
      }
      default:
        return;
    }
  }

  finish(): TraceDigest {
    const backoffs = new Map<string, Interval[]>();
    for (const [preset, list] of this.#backoffs) backoffs.set(preset, mergeIntervals(list));
    const logs = [...this.#logs.values()].sort(
      (a, b) =>
        (LOG_LEVEL_ORDER[a.level] ?? 3) - (LOG_LEVEL_ORDER[b.level] ?? 3) ||
        b.count - a.count ||
        a.firstLine - b.firstLine,
    );
    return {
      lineCount: this.#lineCount,
      operator: this.#operator,
      faults: this.#faults,
      backoffs,
      hardLimits: this.#hardLimits,
      claims: this.#claims,
      waits: this.#waits,
      cycles: this.#cycles,
      lockEvents: this.#lockEvents,
      logs,
      workspacePreset: this.#workspacePreset,
    };
  }
}

/** `until`/`backoffUntil` are written by their emitters, not the trace: accept any ISO instant. */
function parseTraceInstantOrIso(iso: string, what: string): Instant {
  const t = Date.parse(iso);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(iso))
    throw new Error(`report: ${what} is not an ISO instant: ${JSON.stringify(iso)}`);
  return t;
}
