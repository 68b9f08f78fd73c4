// Builders for the state-machine tests: rows as the db layer would return them, a settable clock.
import type { Instant } from "../../src/clock/types.ts";
import type {
  InProgressPrebuildRow,
  PendingPrebuildRow,
  PresetAtFailureLimitRow,
  PresetBackoffRow,
  PresetPrebuildScheduleRow,
  RunningPrebuildRow,
  TemplatePresetRow,
  WorkspaceTransition,
} from "../../src/db/rows.ts";
import { GlobalSnapshot } from "../../src/prebuilds/globalSnapshot.ts";
import { type Logger, MemoryLogger } from "../../src/prebuilds/logger.ts";
import type { ReconciliationState, SnapshotClock } from "../../src/prebuilds/presetSnapshot.ts";

/** Mon 2 Jun 2025 12:00:00 UTC. */
export const T0: Instant = Date.UTC(2025, 5, 2, 12, 0, 0);

/** A clock that only moves when told to, like quartz's mock. */
export class TestClock implements SnapshotClock {
  constructor(public t: Instant = T0) {}
  now(): Instant {
    return this.t;
  }
  advance(d: number): void {
    this.t += d;
  }
}

/** Identities of one preset and its single example prebuild (upstream's option sets). */
export interface Options {
  readonly templateId: string;
  readonly templateVersionId: string;
  readonly presetId: string;
  readonly presetName: string;
  readonly prebuiltWorkspaceId: string;
  readonly workspaceName: string;
  /** TTL in seconds; 0 = none. */
  readonly ttl: number;
}

const TEMPLATE_ID = "00000000-0000-0000-0000-000000000001";

function optionSet(n: number, ttl = 0): Options {
  return {
    templateId: TEMPLATE_ID,
    templateVersionId: `00000000-0000-0000-0000-0000000000${n}1`,
    presetId: `00000000-0000-0000-0000-0000000000${n}2`,
    presetName: "my-preset",
    prebuiltWorkspaceId: `00000000-0000-0000-0000-0000000000${n}3`,
    workspaceName: `prebuilds${n - 1}`,
    ttl,
  };
}

export const optionSet0 = optionSet(1);
export const optionSet1 = optionSet(2);
export const optionSet2 = optionSet(3);
/** With a 5-second TTL. */
export const optionSet3 = optionSet(4, 5);

export function preset(
  active: boolean,
  desired: number | null,
  opts: Options,
  overrides: Partial<TemplatePresetRow> = {},
): TemplatePresetRow {
  return {
    templateId: opts.templateId,
    templateName: "template",
    organizationId: "00000000-0000-0000-0000-00000000000a",
    organizationName: "org",
    templateVersionId: opts.templateVersionId,
    templateVersionName: "v",
    usingActiveVersion: active,
    id: opts.presetId,
    name: opts.presetName,
    desiredInstances: desired,
    schedulingTimezone: "",
    ttl: opts.ttl > 0 ? opts.ttl : null,
    prebuildStatus: "healthy",
    lastInvalidatedAt: null,
    deleted: false,
    deprecated: false,
    ...overrides,
  };
}

/** The option set's prebuild: running, ready, created now. */
export function prebuiltWorkspace(
  opts: Options,
  clock: SnapshotClock,
  overrides: Partial<RunningPrebuildRow> = {},
): RunningPrebuildRow {
  return {
    id: opts.prebuiltWorkspaceId,
    name: opts.workspaceName,
    templateId: opts.templateId,
    templateVersionId: opts.templateVersionId,
    currentPresetId: opts.presetId,
    ready: true,
    createdAt: clock.now(),
    ...overrides,
  };
}

/** `count` running prebuilds of the preset, not ready, with ids `<prefix>-0`, `<prefix>-1`, … */
export function runningPrebuilds(
  opts: Options,
  count: number,
  createdAt: (i: number) => Instant,
  prefix = "ws",
): RunningPrebuildRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: `prebuild-${prefix}${i}`,
    templateId: opts.templateId,
    templateVersionId: opts.templateVersionId,
    currentPresetId: opts.presetId,
    ready: false,
    createdAt: createdAt(i),
  }));
}

export function inProgress(
  opts: Options,
  transition: WorkspaceTransition,
  count: number,
): InProgressPrebuildRow {
  return {
    templateId: opts.templateId,
    templateVersionId: opts.templateVersionId,
    transition,
    presetId: opts.presetId,
    count,
  };
}

export function schedule(
  presetId: string,
  cronExpression: string,
  desiredInstances: number,
): PresetPrebuildScheduleRow {
  return { id: `schedule-${presetId}-${cronExpression}`, presetId, cronExpression, desiredInstances };
}

export interface SnapshotRows {
  presets: readonly TemplatePresetRow[];
  prebuildSchedules?: readonly PresetPrebuildScheduleRow[];
  runningPrebuilds?: readonly RunningPrebuildRow[];
  prebuildsInProgress?: readonly InProgressPrebuildRow[];
  pendingPrebuilds?: readonly PendingPrebuildRow[];
  backoffs?: readonly PresetBackoffRow[];
  hardLimitedPresets?: readonly PresetAtFailureLimitRow[];
}

export function globalSnapshot(
  rows: SnapshotRows,
  clock: SnapshotClock,
  logger: Logger = new MemoryLogger(),
) {
  return new GlobalSnapshot({
    presets: rows.presets,
    prebuildSchedules: rows.prebuildSchedules ?? [],
    runningPrebuilds: rows.runningPrebuilds ?? [],
    prebuildsInProgress: rows.prebuildsInProgress ?? [],
    pendingPrebuilds: rows.pendingPrebuilds ?? [],
    backoffs: rows.backoffs ?? [],
    hardLimitedPresets: rows.hardLimitedPresets ?? [],
    clock,
    logger,
  });
}

/** A state with every count zero except those given (upstream's tests list only non-zero fields). */
export function state(nonZero: Partial<ReconciliationState> = {}): ReconciliationState {
  return {
    actual: 0,
    expired: 0,
    desired: 0,
    eligible: 0,
    extraneous: 0,
    starting: 0,
    stopping: 0,
    deleting: 0,
    ...nonZero,
  };
}
