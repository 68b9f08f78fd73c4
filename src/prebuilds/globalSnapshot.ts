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
    const preset = this.presets.find((p) => p.id === presetId);
    if (preset === undefined) throw new PresetNotFoundError(presetId);

    const prebuildSchedules = this.prebuildSchedules.filter((s) => s.presetId === preset.id);
    const running = this.runningPrebuilds.filter(
      (p) => p.currentPresetId !== null && p.currentPresetId === preset.id,
    );
    const { nonExpired, expired } = filterExpiredWorkspaces(preset, running, this.#clock.now());
    // A NULL preset id never equals a preset's id.
    const inProgress = this.prebuildsInProgress.filter((p) => p.presetId === preset.id);
    const pendingCount = this.pendingPrebuilds.find((p) => p.presetId === preset.id)?.count ?? 0;
    const backoff = this.backoffs.find((b) => b.presetId === preset.id) ?? null;

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

  isHardLimited(presetId: string): boolean {
    return this.hardLimitedPresetsMap.has(presetId);
  }
}
