// The reference model: what upstream's rules (spec §2–§3) say about each preset at an instant,
// recomputed from the trace alone — the run model's workspaces, builds and jobs, plus what it does
// not keep (agents' readiness, the static desired count after `setDesired`, invalidations, each
// replica's clock skew, claims in flight). It imports nothing from `src/prebuilds/`: the oracles
// built on it (`src/check/invariants/`) compare the port's decisions with its answers.

import type { Instant } from "../../clock/types.ts";
import type { Scenario } from "../../scenario/scenario.ts";
import { presetKey } from "../../trace/presetKey.ts";
import type { TraceLine } from "../../trace/trace.ts";
import { hardLimitEvidence } from "../invariants/hardLimitRespected.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import { type BuildFacts, latestBuild, type RunModel, type WorkspaceFacts } from "../runModel.ts";
import { type Schedule, scheduledTarget } from "./scheduleTarget.ts";
import { type PresetView, SnapshotWindows } from "./snapshotWindow.ts";

interface PresetConfig {
  readonly desired: number | null;
  readonly ttl: number | null;
  readonly timeZone: string;
  readonly schedules: readonly Schedule[];
}

export class ReferenceModel {
  readonly #config = new Map<string, PresetConfig>();
  readonly #staticDesired = new Map<string, number | null>();
  readonly #invalidatedAt = new Map<string, Instant>();
  /** workspace → agent → lifecycle state, since the workspace's latest prebuilds-user build */
  readonly #agents = new Map<string, Map<string, string>>();
  readonly #skew = new Map<string, number>();
  #spread = 0;
  /** `template/preset` → claim requests not yet answered */
  readonly #claimsInFlight = new Map<string, number>();
  /** replica → presets its current cycle logged a problem for */
  readonly #troubled = new Map<string, Set<string>>();
  /** replica → presets its current cycle logged an error for (a failed query or action) */
  readonly #failed = new Map<string, Set<string>>();
  /** presets whose stored status became `validation_failed`: upstream never creates for them again */
  readonly #validationFailed = new Set<string>();

  constructor(
    readonly scenario: Scenario,
    readonly model: RunModel,
  ) {
    for (const t of scenario.templates)
      for (const v of t.versions)
        for (const p of v.presets) {
          const key = presetKey(t.name, v.name, p.name);
          this.#config.set(key, {
            desired: p.desiredInstances,
            ttl: p.ttl,
            timeZone: p.scheduling?.timezone ?? "",
            schedules: p.scheduling?.schedules ?? [],
          });
          this.#staticDesired.set(key, p.desiredInstances);
        }
    for (const r of scenario.replicas) this.#setSkew(r.name, r.clockSkew);
    this.presetKeys = [...this.#staticDesired].filter(([, d]) => d !== null).map(([k]) => k);
    this.windows = new SnapshotWindows(this.presetKeys, (key, at) => this.view(key, at));
  }

  /** The names of the replicas: the reconciler's actors. */
  isReplica(actor: string): boolean {
    return this.#skew.has(actor);
  }

  /** Keys of every preset with a prebuild configuration. */
  readonly presetKeys: readonly string[];
  /** Each replica cycle's snapshot window. */
  readonly windows: SnapshotWindows;

  /** What `actor`'s clock reads at the virtual instant `at` (its skew included). */
  clockOf(actor: string, at: Instant): Instant {
    return at + (this.#skew.get(actor) ?? 0);
  }

  /**
   * The largest clock skew any replica has had: how far a creation time a replica stored (its
   * clock) can be from the virtual instant of its line, and so how far a backoff's end or an
   * expiry the port computes can be from the reference's. The lower and upper bounds widen by it.
   */
  clockSpread(): number {
    return this.#spread;
  }

  /** `desired_instances` as it stands (setDesired changes it); null: no prebuild configuration. */
  staticDesired(key: string): number | null {
    return this.#staticDesired.get(key) ?? null;
  }

  /**
   * The desired count upstream resolves at `now` (spec §3.5) for the preset as `view` shows it
   * (default: as it stands): 0 when inactive, else the schedules' target over the static count.
   */
  desiredAt(key: string, now: Instant, view?: Pick<PresetView, "active" | "staticDesired">): number {
    if (!(view?.active ?? this.model.isActive(key))) return 0;
    const base = (view === undefined ? this.staticDesired(key) : view.staticDesired) ?? 0;
    const config = this.#config.get(key);
    if (config === undefined) return base;
    return scheduledTarget(base, config.timeZone, config.schedules, now);
  }

  /**
   * The smaller desired count of a cycle that started at `start` and decided at `now` (both on its
   * replica's clock): the port resolves it somewhere in between, and a schedule may change there.
   */
  leastDesired(key: string, start: Instant, now: Instant, view: PresetView): number {
    return Math.min(this.desiredAt(key, start, view), this.desiredAt(key, now, view));
  }

  /** The views of the snapshot `actor`'s current cycle may have taken of `key` (see snapshotWindow.ts). */
  snapshotViews(actor: string, key: string): readonly PresetView[] {
    return this.windows.views(actor)?.get(key) ?? [];
  }

  /**
   * Whether `ws` (running) is expired at `now` (spec §3.3: created before the preset's invalidation,
   * or older than its TTL); `view` gives the invalidation a snapshot read (default: the latest).
   */
  isExpired(
    ws: WorkspaceFacts,
    key: string,
    now: Instant,
    view?: Pick<PresetView, "invalidatedAt">,
  ): boolean {
    const created = ws.builds[0]?.at ?? 0;
    const invalidated = view === undefined ? this.#invalidatedAt.get(key) : view.invalidatedAt;
    if (invalidated !== undefined && created < invalidated) return true;
    const ttl = this.#config.get(key)?.ttl ?? null;
    return ttl !== null && ttl > 0 && now - created > ttl;
  }

  /** When the preset's prebuilds created before it were invalidated, if ever. */
  invalidatedAt(key: string): Instant | undefined {
    return this.#invalidatedAt.get(key);
  }

  /** All top-level agents of the workspace's latest prebuild build are ready, and there is one. */
  isReady(workspace: string): boolean {
    const agents = this.#agents.get(workspace);
    if (agents === undefined || agents.size === 0) return false;
    for (const state of agents.values()) if (state !== "ready") return false;
    return true;
  }

  /** The running prebuilds of `view` that are not expired at `now`. */
  unexpired(view: PresetView, key: string, now: Instant): WorkspaceFacts[] {
    return view.running.filter((ws) => !this.isExpired(ws, key, now, view));
  }

  /** Presets for which `actor`'s current cycle logged an error or warning (a failed action). */
  troubled(actor: string): ReadonlySet<string> {
    return this.#troubled.get(actor) ?? new Set();
  }

  /**
   * Presets for which `actor`'s current cycle logged an error (level error or critical): an action
   * that failed, not a decision the port explains with a warning (backoff, hard limit).
   */
  failed(actor: string): ReadonlySet<string> {
    return this.#failed.get(actor) ?? new Set();
  }

  /** The preset's stored status became `validation_failed` (spec §4.8 c: no creation ever after). */
  validationFailed(key: string): boolean {
    return this.#validationFailed.has(key);
  }

  /** A preset as a snapshot taken now would show it (spec §2.3, §2.4): running and starting prebuilds. */
  view(key: string, at: Instant): PresetView {
    const running: WorkspaceFacts[] = [];
    let starting = 0;
    const [template, version] = key.split("/");
    const onActive = template !== undefined && this.model.activeVersion(template) === version;
    for (const ws of this.model.livePrebuilds(key)) {
      const b = latestBuild(ws);
      if (b === undefined || b.preset !== key) continue;
      if (b.transition === "start" && b.job.state === "succeeded") running.push(ws);
      else if (
        b.transition === "start" &&
        b.initiator === PREBUILDS_INITIATOR &&
        onActive &&
        (b.job.state === "pending" || b.job.state === "running")
      )
        starting++;
    }
    const limit = this.scenario.settings.failureHardLimit;
    return {
      at,
      running,
      starting,
      staticDesired: this.staticDesired(key),
      active: this.model.isActive(key),
      onActiveVersion: onActive,
      invalidatedAt: this.#invalidatedAt.get(key),
      backoffUntil: this.backoffWindow(key, at)?.until,
      hardLimited: hardLimitEvidence(this.model, key, limit) !== undefined,
    };
  }

  /** Claims of `template/preset` requested and not yet answered. */
  claimsInFlight(templatePreset: string): number {
    return this.#claimsInFlight.get(templatePreset) ?? 0;
  }

  /**
   * The end of the preset's backoff at `now` (spec §2.7, §3.7 step 1), or undefined when it is not
   * in backoff: among the latest start builds of the prebuilds user's live workspaces of the
   * preset on its active version, some build within the lookback that is one of the `desired`
   * most recent failed; until = the latest such build + failures in the lookback × interval.
   */
  backoffUntil(key: string, now: Instant): { until: Instant; builds: BuildFacts[] } | undefined {
    const b = this.backoffWindow(key, now);
    return b === undefined || now > b.until ? undefined : b;
  }

  /**
   * The backoff row a snapshot taken at `now` reads (GetPresetsBackoff with lookback `now` −
   * lookback), as the window's end — whether `now` is still inside it or not; undefined: no row.
   */
  backoffWindow(key: string, now: Instant): { until: Instant; builds: BuildFacts[] } | undefined {
    const desired = this.staticDesired(key);
    if (desired === null || desired <= 0) return undefined;
    const [template, version] = key.split("/");
    if (template === undefined || this.model.activeVersion(template) !== version) return undefined;
    if (this.model.templateDeleted(template)) return undefined;
    const lookback = now - this.scenario.settings.reconciliationBackoffLookback;
    // No failure in the lookback: no backoff, whatever the order (most presets, most of the time;
    // this runs per preset per cycle and per state line of an open snapshot).
    if (!this.model.hasFailedStartSince(key, lookback)) return undefined;
    const starts = this.model
      .livePrebuilds(key)
      .map(latestBuild)
      .filter((b): b is BuildFacts => b !== undefined && b.transition === "start" && b.preset === key);
    // Same instant: the later-created is the newer, as upstream's microsecond created_at ranks them.
    const latest = starts.sort((a, b) => b.at - a.at || b.line - a.line);
    const failed = latest.filter((b) => b.job.state === "failed" && b.at >= lookback);
    const qualifying = latest.slice(0, desired).filter((b) => b.job.state === "failed" && b.at >= lookback);
    if (qualifying.length === 0) return undefined;
    const last = Math.max(...qualifying.map((b) => b.at));
    return {
      until: last + failed.length * this.scenario.settings.reconciliationBackoffInterval,
      builds: failed,
    };
  }

  #setSkew(replica: string, offset: number): void {
    this.#skew.set(replica, offset);
    this.#spread = Math.max(this.#spread, Math.abs(offset));
  }

  /** Call after the run model applied the line. */
  apply(line: TraceLine): void {
    this.#applyOwn(line);
    this.windows.apply(line);
  }

  #applyOwn(line: TraceLine): void {
    if (isKind(line, "reconcile.cycle.start")) {
      this.#troubled.set(line.actor, new Set());
      this.#failed.set(line.actor, new Set());
    } else if (isKind(line, "log")) {
      const id = line.fields?.preset_id;
      const key = typeof id === "string" ? this.model.presetKey(id) : null;
      if (key !== null) this.#troubled.get(line.actor)?.add(key);
      if (key !== null && line.level !== "warn") this.#failed.get(line.actor)?.add(key);
    } else if (isKind(line, "preset.status")) {
      if (line.status === "validation_failed") this.#validationFailed.add(line.preset);
    } else if (isKind(line, "operator.setDesired")) {
      this.#staticDesired.set(line.preset, line.instances);
    } else if (isKind(line, "operator.invalidate")) {
      for (const key of line.presets) this.#invalidatedAt.set(key, instantOf(line));
    } else if (isKind(line, "fault.start") && line.fault === "clock-skew") {
      if (typeof line.replica === "string" && typeof line.offset === "number")
        this.#setSkew(line.replica, line.offset);
    } else if (isKind(line, "build.create")) {
      if (line.initiator === PREBUILDS_INITIATOR) this.#agents.set(line.workspace, new Map());
    } else if (isKind(line, "agent.lifecycle")) {
      let agents = this.#agents.get(line.workspace);
      if (agents === undefined) {
        agents = new Map();
        this.#agents.set(line.workspace, agents);
      }
      agents.set(line.agent, line.state);
    } else if (isKind(line, "claim.request")) {
      this.#claimsInFlight.set(line.preset, this.claimsInFlight(line.preset) + 1);
    } else if (isKind(line, "claim.result")) {
      this.#claimsInFlight.set(line.preset, Math.max(0, this.claimsInFlight(line.preset) - 1));
    }
  }
}
