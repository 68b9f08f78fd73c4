// What `prebuildsim import` learns from a deployment, whichever source it came from: the rows of
// the import queries (database or CSV) taken apart into typed records. The fitting reads only this.
import type { Instant } from "../clock/types.ts";
import { InputError } from "../run/inputError.ts";
import { parseIsoInstant } from "../scenario/isoTime.ts";
import { importQueries } from "./queries.ts";

/** One query's rows: column → text, null for SQL NULL (an unquoted empty CSV field). */
export type TextRow = Readonly<Record<string, string | null>>;
/** Each query's rows by its file name (`builds.csv` …). */
export type RowSets = ReadonlyMap<string, readonly TextRow[]>;

export interface ObservedTemplate {
  readonly id: string;
  readonly name: string;
  /** null: the deployment's default organization (the scenario's `default`). */
  readonly organization: string | null;
  readonly activeVersionId: string;
  readonly deprecated: string;
}

export interface ObservedVersion {
  readonly id: string;
  readonly templateId: string;
  readonly name: string;
  readonly createdAt: Instant;
}

export interface ObservedParameter {
  readonly versionId: string;
  readonly name: string;
  readonly defaultValue: string;
  readonly required: boolean;
  readonly mutable: boolean;
}

export interface ObservedPreset {
  readonly id: string;
  readonly versionId: string;
  readonly name: string;
  readonly desiredInstances: number | null;
  /** Seconds; null or 0: never expires by age. */
  readonly invalidateAfterSecs: number | null;
  readonly schedulingTimezone: string;
  readonly prebuildStatus: string;
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
  readonly schedules: readonly { readonly cron: string; readonly instances: number }[];
}

export type JobStatus = "pending" | "running" | "succeeded" | "canceling" | "canceled" | "failed" | "unknown";

export interface ObservedBuild {
  readonly id: string;
  readonly workspaceId: string;
  readonly templateId: string;
  readonly versionId: string;
  readonly presetId: string | null;
  readonly buildNumber: number;
  readonly transition: "start" | "stop" | "delete";
  readonly initiatorId: string;
  readonly byPrebuilds: boolean;
  /** The workspace's previous build was the prebuilds user's: a person's start now is a claim. */
  readonly previousByPrebuilds: boolean;
  readonly createdAt: Instant;
  readonly startedAt: Instant | null;
  readonly completedAt: Instant | null;
  readonly status: JobStatus;
  readonly workerId: string | null;
  /** When every top-level agent of the build was ready; null without agents or not (yet) ready. */
  readonly agentsReadyAt: Instant | null;
}

export interface Observations {
  /** Where the rows came from, for the header: `database`, `CSV files in DIR`. */
  readonly source: string;
  readonly since: Instant;
  readonly until: Instant;
  readonly templates: readonly ObservedTemplate[];
  readonly versions: readonly ObservedVersion[];
  readonly parameters: readonly ObservedParameter[];
  readonly presets: readonly ObservedPreset[];
  readonly builds: readonly ObservedBuild[];
  /** `reconciliation_paused` of the prebuilds settings; null when the deployment never stored them. */
  readonly paused: boolean | null;
  /** What this source cannot give (the header lists it); none for the database and CSV paths. */
  readonly limits: readonly string[];
  /** The reconciliation-duration histogram's increases over the window (Prometheus only). */
  readonly reconciliation?: ObservedReconciliation;
}

/** What `coderd_prebuilds_reconciliation_duration_seconds` says over the window. */
export interface ObservedReconciliation {
  /** Instances (scrape targets: replicas) that reported it. */
  readonly instances: number;
  /** Cycles observed over every instance (the increase of `_count`). */
  readonly cycles: number;
  /** Seconds they took in all (the increase of `_sum`). */
  readonly seconds: number;
  /** Cumulative cycles by bucket upper bound (`le`, seconds; +Inf last), pooled over instances. */
  readonly buckets: readonly (readonly [number, number])[];
}

/** Reads typed fields out of one row, naming the file, row and column of a bad value. */
class RowReader {
  constructor(
    private readonly file: string,
    private readonly index: number,
    private readonly row: TextRow,
  ) {}

  #bad(column: string, expected: string): InputError {
    const value = this.row[column];
    return new InputError(
      `${this.file}: row ${this.index + 2}, column ${column}: expected ${expected}, got ${value === null ? "NULL" : JSON.stringify(value)}`,
    );
  }

  text(column: string): string {
    const v = this.row[column];
    if (v === null || v === undefined) throw this.#bad(column, "a value");
    return v;
  }

  textOrNull(column: string): string | null {
    return this.row[column] ?? null;
  }

  int(column: string): number {
    const v = this.intOrNull(column);
    if (v === null) throw this.#bad(column, "a whole number");
    return v;
  }

  intOrNull(column: string): number | null {
    const v = this.row[column];
    if (v === null || v === undefined || v === "") return null;
    if (!/^-?\d+$/.test(v)) throw this.#bad(column, "a whole number");
    return Number(v);
  }

  bool(column: string): boolean {
    const v = this.row[column];
    if (v === "true" || v === "t") return true;
    if (v === "false" || v === "f" || v === null || v === "") return false;
    throw this.#bad(column, "true or false");
  }

  instant(column: string): Instant {
    const v = this.instantOrNull(column);
    if (v === null) throw this.#bad(column, "an instant");
    return v;
  }

  instantOrNull(column: string): Instant | null {
    const v = this.row[column];
    if (v === null || v === undefined || v === "") return null;
    const parsed = parseIsoInstant(v);
    if (!parsed.ok) throw this.#bad(column, "an ISO-8601 instant like 2026-03-02T08:00:00.000Z");
    return parsed.value;
  }

  oneOf<T extends string>(column: string, values: readonly T[]): T {
    const v = this.text(column);
    if (!(values as readonly string[]).includes(v)) throw this.#bad(column, `one of ${values.join(", ")}`);
    return v as T;
  }
}

function rowsOf<T>(sets: RowSets, file: string, map: (r: RowReader) => T): T[] {
  return (sets.get(file) ?? []).map((row, i) => map(new RowReader(file, i, row)));
}

const JOB_STATUSES: readonly JobStatus[] = [
  "pending",
  "running",
  "succeeded",
  "canceling",
  "canceled",
  "failed",
  "unknown",
];

/** The rows of every import query as observations; a value of the wrong shape is bad input. */
export function observationsFromRows(sets: RowSets, source: string): Observations {
  for (const q of importQueries({}))
    if (!sets.has(q.file)) throw new Error(`import: no rows for ${q.file} (a reader must give every query)`);
  const window = rowsOf(sets, "window.csv", (r) => ({
    since: r.instantOrNull("since"),
    until: r.instantOrNull("until"),
  }))[0];
  if (window === undefined || window.since === null || window.until === null)
    throw new InputError(
      `${source}: no workspace builds of the selected templates: nothing to import (pass --since and --until, or check --organization/--template)`,
    );
  if (window.until <= window.since)
    throw new InputError(`${source}: the window is empty (--until must be after --since)`);
  const parametersOf = new Map<string, { name: string; value: string }[]>();
  for (const p of rowsOf(sets, "preset_parameters.csv", (r) => ({
    presetId: r.text("preset_id"),
    name: r.text("name"),
    value: r.text("value"),
  })))
    parametersOf.set(p.presetId, [...(parametersOf.get(p.presetId) ?? []), { name: p.name, value: p.value }]);
  const schedulesOf = new Map<string, { cron: string; instances: number }[]>();
  for (const s of rowsOf(sets, "schedules.csv", (r) => ({
    presetId: r.text("preset_id"),
    cron: r.text("cron_expression"),
    instances: r.int("desired_instances"),
  })))
    schedulesOf.set(s.presetId, [
      ...(schedulesOf.get(s.presetId) ?? []),
      { cron: s.cron, instances: s.instances },
    ]);
  const settings = rowsOf(sets, "settings.csv", (r) => r.text("value"))[0];
  return {
    source,
    since: window.since,
    until: window.until,
    templates: rowsOf(sets, "templates.csv", (r) => ({
      id: r.text("template_id"),
      name: r.text("template_name"),
      organization: r.bool("organization_is_default") ? null : r.text("organization_name"),
      activeVersionId: r.text("active_version_id"),
      deprecated: r.textOrNull("deprecated") ?? "",
    })),
    versions: rowsOf(sets, "versions.csv", (r) => ({
      id: r.text("version_id"),
      templateId: r.text("template_id"),
      name: r.text("version_name"),
      createdAt: r.instant("created_at"),
    })),
    parameters: rowsOf(sets, "parameters.csv", (r) => ({
      versionId: r.text("version_id"),
      name: r.text("name"),
      defaultValue: r.textOrNull("default_value") ?? "",
      required: r.bool("required"),
      mutable: r.bool("mutable"),
    })),
    presets: rowsOf(sets, "presets.csv", (r) => {
      const id = r.text("preset_id");
      return {
        id,
        versionId: r.text("version_id"),
        name: r.text("preset_name"),
        desiredInstances: r.intOrNull("desired_instances"),
        invalidateAfterSecs: r.intOrNull("invalidate_after_secs"),
        schedulingTimezone: r.textOrNull("scheduling_timezone") ?? "",
        prebuildStatus: r.textOrNull("prebuild_status") ?? "healthy",
        parameters: parametersOf.get(id) ?? [],
        schedules: schedulesOf.get(id) ?? [],
      };
    }),
    builds: rowsOf(sets, "builds.csv", (r) => ({
      id: r.text("build_id"),
      workspaceId: r.text("workspace_id"),
      templateId: r.text("template_id"),
      versionId: r.text("version_id"),
      presetId: r.textOrNull("preset_id"),
      buildNumber: r.int("build_number"),
      transition: r.oneOf("transition", ["start", "stop", "delete"] as const),
      initiatorId: r.text("initiator_id"),
      byPrebuilds: r.bool("by_prebuilds"),
      previousByPrebuilds: r.bool("previous_by_prebuilds"),
      createdAt: r.instant("job_created_at"),
      startedAt: r.instantOrNull("job_started_at"),
      completedAt: r.instantOrNull("job_completed_at"),
      status: r.oneOf("job_status", JOB_STATUSES),
      workerId: r.textOrNull("worker_id"),
      agentsReadyAt: r.instantOrNull("agents_ready_at"),
    })),
    paused: settings === undefined ? null : pausedSetting(settings),
    limits: [],
  };
}

function pausedSetting(json: string): boolean | null {
  try {
    const value = JSON.parse(json) as { reconciliation_paused?: unknown };
    return value.reconciliation_paused === true;
  } catch {
    throw new InputError(
      `settings.csv: the prebuilds_settings value is not JSON like {"reconciliation_paused": false}: ${json}`,
    );
  }
}
