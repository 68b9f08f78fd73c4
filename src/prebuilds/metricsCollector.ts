// The reconciler's Prometheus metrics (spec §6), on prom-client. Upstream's collector is one
// custom Collector that builds const series from a cached state; here every metric is a
// prom-client metric whose `collect` rebuilds its series from the same cache, so the exposition
// (`registry.metrics()`) never touches the database. The cache is refreshed every 60 s of virtual
// time, or on demand (`forceMetricsUpdate`).
import { Counter, Gauge, type Registry } from "prom-client";
import type { Clock, Duration, Instant } from "../clock/types.ts";
import { SECOND } from "../clock/types.ts";
import type { PrebuildMetricsRow } from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import { errorMessage, wrapError } from "./errors.ts";
import type { GlobalSnapshot } from "./globalSnapshot.ts";
import type { Logger } from "./logger.ts";
import type { ReconciliationState } from "./presetSnapshot.ts";

export const METRICS_UPDATE_INTERVAL: Duration = 60 * SECOND;
export const METRICS_UPDATE_TIMEOUT: Duration = 10 * SECOND;

const PREFIX = "coderd_prebuilt_workspaces_";

/** Every per-preset series carries these labels, in this order. */
export const PRESET_LABELS = ["template_name", "preset_name", "organization_name"] as const;
type PresetLabel = (typeof PRESET_LABELS)[number];
type PresetLabels = Record<PresetLabel, string>;

export const MetricName = {
  createdTotal: `${PREFIX}created_total`,
  failedTotal: `${PREFIX}failed_total`,
  claimedTotal: `${PREFIX}claimed_total`,
  resourceReplacementsTotal: `${PREFIX}resource_replacements_total`,
  desired: `${PREFIX}desired`,
  running: `${PREFIX}running`,
  eligible: `${PREFIX}eligible`,
  presetHardLimited: `${PREFIX}preset_hard_limited`,
  presetValidationFailed: `${PREFIX}preset_validation_failed`,
  metricsLastUpdated: `${PREFIX}metrics_last_updated`,
  reconciliationPaused: `${PREFIX}reconciliation_paused`,
} as const;

/** What series are grouped by: the names an operator sees (spec §6.3), not ids. */
export interface PresetKey {
  readonly organizationName: string;
  readonly templateName: string;
  readonly presetName: string;
}

/** The cache the series are built from (upstream `metricsState`). */
export interface MetricsState {
  readonly prebuildMetrics: readonly PrebuildMetricsRow[];
  readonly snapshot: GlobalSnapshot;
  readonly createdAt: Instant;
}

/** Takes the snapshot the gauges are computed from (the reconciler's `snapshotState`). */
export type StateSnapshotter = (store: Store) => Promise<GlobalSnapshot>;

export class MetricsUpdateTimeoutError extends Error {
  override readonly name = "MetricsUpdateTimeoutError";
  constructor(took: Duration, timeout: Duration) {
    super(`metrics state update took ${took} ms of virtual time, more than its ${timeout} ms budget`);
  }
}

function presetLabels(key: PresetKey): PresetLabels {
  return {
    template_name: key.templateName,
    preset_name: key.presetName,
    organization_name: key.organizationName,
  };
}

/** A stable string for a PresetKey, for maps. */
export function presetKeyString(key: PresetKey): string {
  return JSON.stringify([key.organizationName, key.templateName, key.presetName]);
}

interface PresetGaugeValues {
  readonly labels: PresetLabels;
  readonly state: ReconciliationState;
}

export class MetricsCollector {
  #state: MetricsState | null = null;
  #hardLimited = new Map<string, PresetKey>();
  #validationFailed = new Map<string, PresetKey>();
  readonly #replacements = new Map<string, { key: PresetKey; count: number }>();
  /** The per-preset states of one collection, reused by desired/running/eligible. */
  #gaugeMemo: { state: MetricsState; at: Instant; values: PresetGaugeValues[] } | null = null;

  readonly #paused: Gauge;
  readonly #metrics: readonly (Counter<PresetLabel> | Gauge<PresetLabel> | Gauge)[];

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly snapshotter: StateSnapshotter,
    private readonly clock: Clock,
  ) {
    const collector = this;
    const counterFrom = (name: string, help: string, column: keyof PrebuildMetricsRow) =>
      new Counter<PresetLabel>({
        name,
        help,
        labelNames: PRESET_LABELS,
        registers: [],
        collect() {
          this.reset();
          for (const row of collector.#state?.prebuildMetrics ?? []) {
            this.inc(presetLabels(row), row[column] as number);
          }
        },
      });
    const gaugeFrom = (name: string, help: string, value: (s: ReconciliationState) => number) =>
      new Gauge<PresetLabel>({
        name,
        help,
        labelNames: PRESET_LABELS,
        registers: [],
        collect() {
          this.reset();
          for (const g of collector.#presetGaugeValues()) this.set(g.labels, value(g.state));
        },
      });
    const flagGauge = (name: string, help: string, keys: () => Iterable<PresetKey>) =>
      new Gauge<PresetLabel>({
        name,
        help,
        labelNames: PRESET_LABELS,
        registers: [],
        collect() {
          this.reset();
          if (collector.#state === null) return;
          for (const key of keys()) this.set(presetLabels(key), 1);
        },
      });

    this.#paused = new Gauge({
      name: MetricName.reconciliationPaused,
      help: "Whether prebuilds reconciliation is currently paused (1 = paused, 0 = not paused).",
      registers: [],
    });
    this.#metrics = [
      this.#paused,
      counterFrom(
        MetricName.createdTotal,
        "Total number of prebuilt workspaces that have been created to meet the desired instance count of each template preset.",
        "createdCount",
      ),
      counterFrom(
        MetricName.failedTotal,
        "Total number of prebuilt workspaces that failed to build.",
        "failedCount",
      ),
      counterFrom(
        MetricName.claimedTotal,
        "Total number of prebuilt workspaces which were claimed by users.",
        "claimedCount",
      ),
      new Counter<PresetLabel>({
        name: MetricName.resourceReplacementsTotal,
        help: "Total number of prebuilt workspaces whose resource(s) got replaced upon being claimed.",
        labelNames: PRESET_LABELS,
        registers: [],
        collect() {
          this.reset();
          if (collector.#state === null) return;
          for (const { key, count } of collector.#replacements.values()) this.inc(presetLabels(key), count);
        },
      }),
      gaugeFrom(
        MetricName.desired,
        "Target number of prebuilt workspaces that should be available for each template preset.",
        (s) => s.desired,
      ),
      gaugeFrom(
        MetricName.running,
        "Current number of prebuilt workspaces that are in a running state.",
        (s) => s.actual,
      ),
      gaugeFrom(
        MetricName.eligible,
        "Current number of prebuilt workspaces that are eligible to be claimed.",
        (s) => s.eligible,
      ),
      flagGauge(
        MetricName.presetHardLimited,
        "Indicates whether a given preset has reached the hard failure limit (1 = hard-limited).",
        () => this.#hardLimited.values(),
      ),
      flagGauge(
        MetricName.presetValidationFailed,
        "Indicates whether a given preset failed prebuild creation with a validation error (1 = failed).",
        () => this.#validationFailed.values(),
      ),
      new Gauge({
        name: MetricName.metricsLastUpdated,
        help: "The unix timestamp when the metrics related to prebuilt workspaces were last updated.",
        registers: [],
        collect() {
          const state = collector.#state;
          this.set(state === null ? 0 : Math.floor(state.createdAt / SECOND));
        },
      }),
    ];
  }

  /** Adds every metric to `registry`; on a name clash nothing stays registered and it throws. */
  register(registry: Registry): void {
    const added: string[] = [];
    try {
      for (const metric of this.#metrics) {
        registry.registerMetric(metric);
        added.push(metricName(metric));
      }
    } catch (err) {
      for (const name of added) registry.removeSingleMetric(name);
      throw wrapError("register prebuilds metrics collector", err);
    }
  }

  /** Removes this collector's metrics; false when some of them were not (or no longer) there. */
  unregister(registry: Registry): boolean {
    let all = true;
    for (const metric of this.#metrics) {
      const name = metricName(metric);
      if (registry.getSingleMetric(name) !== metric) {
        all = false;
        continue;
      }
      registry.removeSingleMetric(name);
    }
    return all;
  }

  /**
   * Refreshes the cache from the database. The Store cannot be interrupted mid-query, so a fetch
   * that overruns `timeout` of virtual time is completed but discarded, as if it had been aborted.
   */
  async updateState(timeout: Duration): Promise<void> {
    const start = this.clock.now();
    let prebuildMetrics: PrebuildMetricsRow[];
    let snapshot: GlobalSnapshot;
    try {
      prebuildMetrics = await this.store.getPrebuildMetrics();
    } catch (err) {
      throw wrapError("fetch prebuild metrics", err);
    }
    try {
      snapshot = await this.snapshotter(this.store);
    } catch (err) {
      throw wrapError("snapshot state", err);
    }
    const createdAt = this.clock.now();
    // deviation: an overrun refresh is finished, then discarded (README Fidelity: metrics refresh timeouts)
    if (createdAt - start > timeout) throw new MetricsUpdateTimeoutError(createdAt - start, timeout);
    this.#state = { prebuildMetrics, snapshot, createdAt };
  }

  /**
   * Upstream `BackgroundFetch`: refreshes the cache at once, then every `interval`, until `signal`
   * aborts. Failures are logged; the previous cache stays.
   */
  async backgroundFetch(signal: AbortSignal, interval: Duration, timeout: Duration): Promise<void> {
    if (signal.aborted) return;
    const update = async (): Promise<void> => {
      try {
        await this.updateState(timeout);
      } catch (err) {
        this.logger.error("failed to update prebuilds metrics state", { error: errorMessage(err) });
      }
    };
    await update();
    if (signal.aborted) return;
    await this.clock.tickerFunc(signal, interval, update, "prebuilds", "metrics").wait();
  }

  /** The current cache, or null before the first successful update. */
  get state(): MetricsState | null {
    return this.#state;
  }

  setReconciliationPaused(paused: boolean): void {
    this.#paused.set(paused ? 1 : 0);
  }

  /** Replaces the set of hard-limited keys (spec §6.3); keys not given disappear. */
  registerHardLimitedPresets(keys: Iterable<PresetKey>): void {
    this.#hardLimited = keyMap(keys);
  }

  /** Replaces the set of validation-failed keys (spec §6.3). */
  registerValidationFailedPresets(keys: Iterable<PresetKey>): void {
    this.#validationFailed = keyMap(keys);
  }

  /** Counts one claim whose build replaced resources (in memory, per replica). */
  trackResourceReplacement(key: PresetKey): void {
    const id = presetKeyString(key);
    const entry = this.#replacements.get(id);
    if (entry === undefined) this.#replacements.set(id, { key, count: 1 });
    else entry.count++;
  }

  /**
   * desired / running / eligible for every preset of an active version of a live template.
   * Presets are grouped by name only, so only those are emitted: an old version or a deleted
   * template with the same names would otherwise make duplicate series (spec §10.2 quirk 15).
   */
  #presetGaugeValues(): PresetGaugeValues[] {
    const state = this.#state;
    if (state === null) return [];
    const at = this.clock.now();
    if (this.#gaugeMemo?.state === state && this.#gaugeMemo.at === at) return this.#gaugeMemo.values;
    const values: PresetGaugeValues[] = [];
    for (const preset of state.snapshot.presets) {
      if (!preset.usingActiveVersion || preset.deleted) continue;
      let presetState: ReconciliationState;
      try {
        presetState = state.snapshot.filterByPreset(preset.id).calculateState();
      } catch (err) {
        this.logger.error("failed to filter by preset", { preset_id: preset.id, error: errorMessage(err) });
        continue;
      }
      values.push({
        labels: presetLabels({
          organizationName: preset.organizationName,
          templateName: preset.templateName,
          presetName: preset.name,
        }),
        state: presetState,
      });
    }
    this.#gaugeMemo = { state, at, values };
    return values;
  }
}

function keyMap(keys: Iterable<PresetKey>): Map<string, PresetKey> {
  const map = new Map<string, PresetKey>();
  for (const key of keys) map.set(presetKeyString(key), key);
  return map;
}

function metricName(metric: Counter<string> | Gauge<string>): string {
  return (metric as unknown as { name: string }).name;
}
