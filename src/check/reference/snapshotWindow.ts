// When did a cycle take its snapshot? Somewhere between its `reconcile.cycle.start` and its first
// `reconcile.preset` line (spec §4.4: settings, membership, then the snapshot, then the presets).
// The trace does not say exactly when, and other tasks' lines interleave in between, so each
// cycle's window keeps one view of every preset per state change inside it; an oracle accepts a
// decision that *some* view in the window justifies — and flags one that none does.
import type { Instant } from "../../clock/types.ts";
import type { TraceLine } from "../../trace/trace.ts";
import { instantOf, isKind } from "../lines.ts";
import type { WorkspaceFacts } from "../runModel.ts";

/** A preset as a snapshot taken at one point of the window would have shown it. */
export interface PresetView {
  readonly at: Instant;
  /** Running prebuilds (latest build a succeeded start), expired or not. */
  readonly running: readonly WorkspaceFacts[];
  /** Creation builds of the prebuilds user, pending or running, on the active version. */
  readonly starting: number;
  readonly staticDesired: number | null;
  readonly active: boolean;
  /** Its version is its template's active version (deprecated or deleted templates included). */
  readonly onActiveVersion: boolean;
  /** When the preset's prebuilds were last invalidated, if ever. */
  readonly invalidatedAt: Instant | undefined;
  /** The end of the backoff window the snapshot's backoff row gives (inside it or not), if any. */
  readonly backoffUntil: Instant | undefined;
  /** The snapshot's hard-limit query lists the preset (spec §2.8). */
  readonly hardLimited: boolean;
}

/** The views of one cycle, preset key → views in window order. */
export type CycleViews = ReadonlyMap<string, readonly PresetView[]>;

/** Lines that can change what a snapshot sees. */
const STATE_KINDS = new Set([
  "build.create",
  "job.acquire",
  "job.complete",
  "job.cancel",
  "workspace.delete",
  "claim.result",
  "operator.promote",
  "operator.setDesired",
  "operator.invalidate",
  "operator.deprecate",
  "operator.deleteTemplate",
]);

export class SnapshotWindows {
  /** actor → its open cycle's views while the snapshot window is open */
  readonly #open = new Map<string, Map<string, PresetView[]>>();
  /** actor → its current cycle's views, once the window closed (until the next cycle starts) */
  readonly #closed = new Map<string, CycleViews>();

  constructor(
    private readonly presetKeys: readonly string[],
    private readonly view: (key: string, at: Instant) => PresetView,
  ) {}

  /** The views of `actor`'s current cycle (complete once its first `reconcile.preset` line came). */
  views(actor: string): CycleViews | undefined {
    return this.#open.get(actor) ?? this.#closed.get(actor);
  }

  /** Call after the run model applied the line. */
  apply(line: TraceLine): void {
    if (isKind(line, "reconcile.cycle.start")) {
      this.#closed.delete(line.actor);
      const views = new Map<string, PresetView[]>();
      this.#open.set(line.actor, views);
      this.#record(views, instantOf(line));
    } else if (isKind(line, "reconcile.preset") || isKind(line, "reconcile.cycle.end")) {
      const views = this.#open.get(line.actor);
      if (views === undefined) return;
      this.#open.delete(line.actor);
      this.#closed.set(line.actor, views);
    } else if (STATE_KINDS.has(line.kind) && this.#open.size > 0) {
      for (const views of this.#open.values()) this.#record(views, instantOf(line));
    }
  }

  #record(views: Map<string, PresetView[]>, at: Instant): void {
    for (const key of this.presetKeys) {
      const v = this.view(key, at);
      const list = views.get(key);
      if (list === undefined) views.set(key, [v]);
      else {
        const last = list[list.length - 1] as PresetView;
        if (!sameView(last, v)) list.push(v);
      }
    }
  }
}

function sameView(a: PresetView, b: PresetView): boolean {
  return (
    a.starting === b.starting &&
    a.staticDesired === b.staticDesired &&
    a.active === b.active &&
    a.onActiveVersion === b.onActiveVersion &&
    a.invalidatedAt === b.invalidatedAt &&
    a.backoffUntil === b.backoffUntil &&
    a.hardLimited === b.hardLimited &&
    a.running.length === b.running.length &&
    a.running.every((w, i) => w === b.running[i])
  );
}

/** The prebuilds running in every view: whatever instant the snapshot was taken at, it saw them. */
export function surelyRunning(views: readonly PresetView[]): WorkspaceFacts[] {
  const [first, ...rest] = views;
  if (first === undefined) return [];
  return first.running.filter((ws) => rest.every((v) => v.running.includes(ws)));
}
