// The run's time series (src/trace/timeseries.ts): at the start and every `sampleEvery`, what the
// database says about every prebuild preset of every version, the provisioner queue, and who holds
// the reconciliation lock. Read straight from the tables and the lock manager — never from a
// reconciler's view, which may be stale or wrong, and which is what the series are there to judge.
//
// The sampler is an observer: it reads through the driver without the simulated latency or fault
// hooks of a Store, so sampling neither consumes virtual time nor fails with the world's faults.
import type { Clock, Instant } from "../clock/types.ts";
import type { SqlExecutor } from "../db/driver.ts";
import type { LockManager } from "../db/lockManager.ts";
import type { PresetPrebuildScheduleRow } from "../db/rows.ts";
import { type Context, type Kernel, select } from "../kernel/index.ts";
import { LockId, PREBUILDS_SYSTEM_USER_ID } from "../prebuilds/constants.ts";
import { nullLogger } from "../prebuilds/logger.ts";
import { calculateScheduledTarget } from "../prebuilds/schedule.ts";
import type { OperatorEvent } from "../scenario/scenario.ts";
import type { PresetSample, PresetSeries, TimeSeries } from "../trace/timeseries.ts";
import type { Catalog, CatalogPreset } from "./catalog.ts";

const P_USER = `'${PREBUILDS_SYSTEM_USER_ID}'::uuid`;

const PRESETS_SQL = `
SELECT p.id::text AS id, p.desired_instances, p.scheduling_timezone,
       (tv.id = t.active_version_id AND NOT t.deleted AND t.deprecated = '') AS active
FROM template_version_presets p
JOIN template_versions tv ON tv.id = p.template_version_id
JOIN templates t ON t.id = tv.template_id
ORDER BY p.id`;

const SCHEDULES_SQL = `
SELECT id::text AS id, preset_id::text AS preset_id, cron_expression, desired_instances
FROM template_version_preset_prebuild_schedules
ORDER BY preset_id, id`;

// Per live prebuild: its preset (of its highest-numbered build that has one, as
// workspace_prebuilds), its latest build, and whether every non-deleted top-level agent of that
// build is ready (at least one), as GetRunningPrebuiltWorkspaces decides readiness.
const WORKSPACES_SQL = `
SELECT cp.preset_id::text AS preset_id,
  count(*) FILTER (WHERE lb.transition = 'start' AND lb.job_status = 'succeeded')::int AS running,
  count(*) FILTER (WHERE lb.transition = 'start' AND lb.job_status = 'succeeded' AND coalesce(r.ready, false))::int AS eligible,
  count(*) FILTER (WHERE lb.transition = 'start' AND lb.job_status IN ('pending', 'running'))::int AS starting,
  count(*) FILTER (WHERE lb.transition = 'stop' AND lb.job_status IN ('pending', 'running'))::int AS stopping,
  count(*) FILTER (WHERE lb.transition = 'delete' AND lb.job_status IN ('pending', 'running'))::int AS deleting,
  count(*) FILTER (WHERE lb.job_status = 'failed')::int AS failed
FROM workspaces w
JOIN workspace_latest_builds lb ON lb.workspace_id = w.id
JOIN LATERAL (
  SELECT wb.template_version_preset_id AS preset_id FROM workspace_builds wb
  WHERE wb.workspace_id = w.id AND wb.template_version_preset_id IS NOT NULL
  ORDER BY wb.build_number DESC LIMIT 1
) cp ON true
LEFT JOIN LATERAL (
  SELECT bool_and(a.lifecycle_state = 'ready') AS ready
  FROM workspace_resources wr
  CROSS JOIN LATERAL (
    -- OFFSET 0: agents by their resource_id index, as in GetRunningPrebuiltWorkspaces (why there).
    SELECT wa.lifecycle_state FROM workspace_agents wa
    WHERE wa.resource_id = wr.id AND NOT wa.deleted AND wa.parent_id IS NULL
    OFFSET 0
  ) a
  WHERE wr.job_id = lb.job_id
) r ON true
WHERE w.owner_id = ${P_USER} AND NOT w.deleted
GROUP BY cp.preset_id
ORDER BY cp.preset_id`;

// Pending and running jobs are unfinished (completed_at IS NULL) by definition of job_status: the
// filter reads them through their partial index instead of scanning every job ever queued.
const QUEUE_SQL = `
SELECT count(*) FILTER (WHERE job_status = 'pending' AND initiator_id = ${P_USER})::int AS prebuild,
       count(*) FILTER (WHERE job_status = 'pending' AND initiator_id <> ${P_USER})::int AS human,
       count(*) FILTER (WHERE job_status = 'running')::int AS running
FROM provisioner_jobs
WHERE job_status IN ('pending', 'running')`;

/**
 * The presets worth a series: those with a prebuild configuration at the start, and those an
 * operator's `setDesired` event will give one.
 */
export function followedPresets(catalog: Catalog, events: readonly OperatorEvent[]): CatalogPreset[] {
  return catalog.presets.filter(
    (p) =>
      p.spec.desiredInstances !== null ||
      events.some(
        (e) =>
          e.kind === "setDesired" &&
          e.template === p.template &&
          e.version === p.version &&
          e.preset === p.name,
      ),
  );
}

const COUNT_COLUMNS = ["running", "eligible", "starting", "stopping", "deleting", "failed"] as const;

export class Sampler {
  readonly #series: PresetSeries[];
  readonly #byId = new Map<string, PresetSeries>();
  readonly #timeseries: TimeSeries;
  #schedules: PresetPrebuildScheduleRow[] | undefined;

  constructor(
    private readonly db: SqlExecutor,
    private readonly locks: LockManager,
    sampleEvery: number,
    /** The presets to follow: those with a prebuild configuration at some point of the run. */
    presets: readonly CatalogPreset[],
    /** Also called at every sample instant, after the sample (the metrics recorder). */
    private readonly alsoAt?: (t: Instant) => Promise<void>,
  ) {
    this.#series = presets.map((p) => ({
      key: p.key,
      template: p.template,
      version: p.version,
      preset: p.name,
      samples: [],
    }));
    presets.forEach((p, i) => {
      this.#byId.set(p.id, this.#series[i] as PresetSeries);
    });
    this.#timeseries = { sampleEvery, presets: this.#series, queue: [], lock: [] };
  }

  get timeseries(): TimeSeries {
    return this.#timeseries;
  }

  /** Takes one sample at `t`. */
  async sample(t: Instant): Promise<void> {
    this.#schedules ??= (await this.db.query(SCHEDULES_SQL)).map((r) => ({
      id: String(r.id),
      presetId: String(r.preset_id),
      cronExpression: String(r.cron_expression),
      desiredInstances: Number(r.desired_instances),
    }));
    const samples = new Map<string, PresetSample>();
    for (const r of await this.db.query(PRESETS_SQL)) {
      const id = String(r.id);
      if (!this.#byId.has(id)) continue;
      const desiredInstances = r.desired_instances === null ? null : Number(r.desired_instances);
      const schedules = this.#schedules.filter((s) => s.presetId === id);
      const preset = { id, desiredInstances, schedulingTimezone: String(r.scheduling_timezone) };
      const desired = r.active === true ? calculateScheduledTarget(preset, schedules, t, nullLogger) : 0;
      samples.set(id, {
        t,
        desired,
        running: 0,
        eligible: 0,
        starting: 0,
        stopping: 0,
        deleting: 0,
        failed: 0,
      });
    }
    for (const r of await this.db.query(WORKSPACES_SQL)) {
      const s = samples.get(String(r.preset_id));
      if (s === undefined) continue;
      for (const c of COUNT_COLUMNS) s[c] = Number(r[c]);
    }
    for (const [id, s] of samples) this.#byId.get(id)?.samples.push(s);

    const q = (await this.db.query(QUEUE_SQL))[0] ?? {};
    this.#timeseries.queue.push({
      t,
      prebuild: Number(q.prebuild ?? 0),
      human: Number(q.human ?? 0),
      running: Number(q.running ?? 0),
    });
    this.#timeseries.lock.push({
      t,
      holder: this.locks.holderOf(LockId.ReconcilePrebuilds)?.connection ?? null,
    });
    await this.alsoAt?.(t);
  }

  /**
   * The sampler task: a sample now (the world starts it once the database is seeded, a few
   * simulated milliseconds after the start), then one at every multiple of `sampleEvery` after `origin`
   * until `ctx` ends. Aligned to the scenario's start so that a sample falls on the end of every
   * convergence window (`expect.convergeWithin` is usually a multiple of it) rather than just after.
   */
  async run(kernel: Kernel, ctx: Context, clock: Clock, origin: Instant): Promise<void> {
    const every = this.#timeseries.sampleEvery;
    await this.sample(clock.now());
    const first = origin + (Math.floor((clock.now() - origin) / every) + 1) * every;
    const align = clock.newTimer(first - clock.now(), "sampler");
    const woke = await select(kernel, ctx, align.c);
    align.stop();
    if (woke.index === 0) return;
    const ticker = clock.newTicker(every, "sampler");
    try {
      for (;;) {
        await this.sample(clock.now());
        const r = await select(kernel, ctx, ticker.c);
        if (r.index === 0) return;
      }
    } finally {
      ticker.stop();
    }
  }
}
