// Everything one reconciliation cycle read (spec §3.1), and its per-preset views (§3.2).
import type {
  InProgressPrebuildRow,
  PendingPrebuildRow,
  PresetAtFailureLimitRow,
  PresetBackoffRow,
  PresetPrebuildScheduleRow,
  RunningPrebuildRow,
  TemplatePresetRow,
} from "../db/rows.ts";
import { filterExpiredWorkspaces } from "./expiry.ts";
import type { Logger } from "./logger.ts";
import { PresetSnapshot, type SnapshotClock } from "./presetSnapshot.ts";

export interface GlobalSnapshotInit {
  readonly presets: readonly TemplatePresetRow[];
  readonly prebuildSchedules: readonly PresetPrebuildScheduleRow[];
  readonly runningPrebuilds: readonly RunningPrebuildRow[];
  readonly prebuildsInProgress: readonly InProgressPrebuildRow[];
  readonly pendingPrebuilds: readonly PendingPrebuildRow[];
  readonly backoffs: readonly PresetBackoffRow[];
  readonly hardLimitedPresets: readonly PresetAtFailureLimitRow[];
  readonly clock: SnapshotClock;
  readonly logger: Logger;
}

export class PresetNotFoundError extends Error {
  constructor(readonly presetId: string) {
    super(`no preset found with ID "${presetId}"`);
    this.name = "PresetNotFoundError";
  }
}

interface PresetIndex {
  readonly presets: ReadonlyMap<string, TemplatePresetRow>;
  readonly schedules: ReadonlyMap<string, PresetPrebuildScheduleRow[]>;
  readonly running: ReadonlyMap<string, RunningPrebuildRow[]>;
  readonly inProgress: ReadonlyMap<string, InProgressPrebuildRow[]>;
  readonly pending: ReadonlyMap<string, PendingPrebuildRow>;
  readonly backoffs: ReadonlyMap<string, PresetBackoffRow>;
}

/** Rows by id, the first row of each id kept (as `Array.find` would); null ids are left out. */
function firstById<T>(rows: readonly T[], idOf: (row: T) => string | null): Map<string, T> {
  const byId = new Map<string, T>();
  for (const row of rows) {
    const id = idOf(row);
    if (id !== null && !byId.has(id)) byId.set(id, row);
  }
  return byId;
}

/** Rows grouped by id, each group in the rows' order (as `Array.filter` would); null ids left out. */
function groupById<T>(rows: readonly T[], idOf: (row: T) => string | null): Map<string, T[]> {
  const byId = new Map<string, T[]>();
  for (const row of rows) {
    const id = idOf(row);
    if (id === null) continue;
    const group = byId.get(id);
    if (group === undefined) byId.set(id, [row]);
    else group.push(row);
  }
  return byId;
}

export class GlobalSnapshot {
  readonly presets: readonly TemplatePresetRow[];
  readonly prebuildSchedules: readonly PresetPrebuildScheduleRow[];
  readonly runningPrebuilds: readonly RunningPrebuildRow[];
  readonly prebuildsInProgress: readonly InProgressPrebuildRow[];
  readonly pendingPrebuilds: readonly PendingPrebuildRow[];
  readonly backoffs: readonly PresetBackoffRow[];
  readonly hardLimitedPresetsMap: ReadonlyMap<string, PresetAtFailureLimitRow>;
  readonly #clock: SnapshotClock;
  readonly #logger: Logger;
  #index: PresetIndex | undefined;

  constructor(init: GlobalSnapshotInit) {
    this.presets = init.presets;
    this.prebuildSchedules = init.prebuildSchedules;
    this.runningPrebuilds = init.runningPrebuilds;
    this.prebuildsInProgress = init.prebuildsInProgress;
    this.pendingPrebuilds = init.pendingPrebuilds;
    this.backoffs = init.backoffs;
    this.hardLimitedPresetsMap = new Map(init.hardLimitedPresets.map((row) => [row.presetId, row]));
    this.#clock = init.clock;
    this.#logger = init.logger;
  }

  /**
   * The view of one preset. Running prebuilds are split by expiry at the clock's current time;
   * pending count and backoff come from the first matching row (the queries group by preset, so
   * there is at most one). Throws `PresetNotFoundError` for an unknown id.
   */
  filterByPreset(presetId: string): PresetSnapshot {
    const index = this.#byPreset();
    const preset = index.presets.get(presetId);
    if (preset === undefined) throw new PresetNotFoundError(presetId);

    const prebuildSchedules = index.schedules.get(preset.id)?.slice() ?? [];
    const running = index.running.get(preset.id) ?? [];
    const { nonExpired, expired } = filterExpiredWorkspaces(preset, running, this.#clock.now());
    const inProgress = index.inProgress.get(preset.id)?.slice() ?? [];
    const pendingCount = index.pending.get(preset.id)?.count ?? 0;
    const backoff = index.backoffs.get(preset.id) ?? null;

    return new PresetSnapshot({
      preset,
      prebuildSchedules,
      running: nonExpired,
      expired,
      inProgress,
      pendingCount,
      backoff,
      isHardLimited: this.isHardLimited(preset.id),
      clock: this.#clock,
      logger: this.#logger,
    });
  }

  /**
   * Every row list grouped by preset id, built once on the first `filterByPreset`: a cycle views
   * every preset, and scanning each list per preset made the cycle presets × rows. Groups keep the
   * lists' order, and single-row lookups keep the first row, as the scans they replace did.
   */
  #byPreset(): PresetIndex {
    if (this.#index === undefined) {
      this.#index = {
        presets: firstById(this.presets, (p) => p.id),
        schedules: groupById(this.prebuildSchedules, (s) => s.presetId),
        // A NULL preset id never equals a preset's id.
        running: groupById(this.runningPrebuilds, (p) => p.currentPresetId),
        inProgress: groupById(this.prebuildsInProgress, (p) => p.presetId),
        pending: firstById(this.pendingPrebuilds, (p) => p.presetId),
        backoffs: firstById(this.backoffs, (b) => b.presetId),
      };
    }
    return this.#index;
  }

  isHardLimited(presetId: string): boolean {
    return this.hardLimitedPresetsMap.has(presetId);
  }
}
