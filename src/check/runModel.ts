// What the checks know about a run, rebuilt line by line from the trace alone: the open cycle of
// each replica, every workspace with its builds and their jobs, who owns it, and which preset
// versions are active. Invariants read this model (as it stood before the line they look at) instead
// of trusting the reconciler's own account of what it did.
import type { Instant } from "../clock/types.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { splitPresetKey } from "../trace/presetKey.ts";
import type { TraceLine } from "../trace/trace.ts";
import { instantOf, isKind, type LineOf, PREBUILDS_INITIATOR } from "./lines.ts";

export type JobState = "pending" | "running" | "succeeded" | "failed" | "canceled";

/** A reconcile cycle of one replica, from `reconcile.cycle.start` to its `reconcile.cycle.end`. */
export interface CycleFacts {
  readonly actor: string;
  readonly startLine: number;
  readonly startAt: Instant;
}

export interface JobFacts {
  readonly job: string;
  readonly build: string;
  readonly workspace: string;
  state: JobState;
  /** The line that last changed the state. */
  line: number;
}

export interface BuildFacts {
  readonly build: string;
  readonly workspace: string;
  readonly buildNumber: number;
  readonly transition: "start" | "stop" | "delete";
  readonly initiator: string;
  /** `template/version/preset`, or null for a build without preset. */
  readonly preset: string | null;
  readonly purpose: string;
  readonly job: JobFacts;
  readonly line: number;
  readonly at: Instant;
  /** The actor that wrote the build: a replica for the reconciler's builds. */
  readonly actor: string;
}

export interface WorkspaceFacts {
  readonly id: string;
  readonly createLine: number;
  /** The first build was the prebuilds user's: a prebuilt workspace, claimed or not. */
  prebuild: boolean;
  /** The current owner as far as the trace tells: `prebuilds` until a claim. */
  owner: string;
  /** The `claim.result` line that handed this prebuild to a person. */
  claimedLine: number | undefined;
  deleted: boolean;
  readonly builds: BuildFacts[];
}

interface TemplateActivity {
  activeVersion: string;
  deprecated: boolean;
  deleted: boolean;
}

export class RunModel {
  readonly #cycles = new Map<string, CycleFacts>();
  readonly #workspaces = new Map<string, WorkspaceFacts>();
  readonly #jobs = new Map<string, JobFacts>();
  readonly #presetKeys = new Map<string, string>();
  readonly #templates = new Map<string, TemplateActivity>();
  readonly #livePrebuilds = new Map<string, Set<string>>();
  readonly #lastReconcile = new Map<string, number>();
  #paused = false;

  constructor(readonly scenario: Scenario) {
    for (const t of scenario.templates) {
      const active = t.versions.find((v) => v.active);
      if (active === undefined)
        throw new Error(`scenario ${scenario.name}: template ${t.name} has no active version`);
      this.#templates.set(t.name, { activeVersion: active.name, deprecated: false, deleted: false });
    }
  }

  /** The cycle `actor` is in, or undefined between cycles. */
  cycle(actor: string): CycleFacts | undefined {
    return this.#cycles.get(actor);
  }

  openCycles(): Iterable<CycleFacts> {
    return this.#cycles.values();
  }

  workspace(id: string): WorkspaceFacts | undefined {
    return this.#workspaces.get(id);
  }

  workspaces(): Iterable<WorkspaceFacts> {
    return this.#workspaces.values();
  }

  job(id: string): JobFacts | undefined {
    return this.#jobs.get(id);
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Normalises a preset reference (an id seen in reconcile lines, or already a key) to its key. */
  presetKey(ref: string | null | undefined): string | null {
    if (ref === null || ref === undefined) return null;
    return this.#presetKeys.get(ref) ?? ref;
  }

  /** Whether `template/version/preset` is on its template's active version of a live template (spec §3.4). */
  isActive(key: string): boolean {
    const { template, version } = splitPresetKey(key);
    const activity = this.#templates.get(template);
    return (
      activity !== undefined &&
      activity.activeVersion === version &&
      !activity.deprecated &&
      !activity.deleted
    );
  }

  /** The version of `template` that is active now, or undefined for a template the scenario lacks. */
  activeVersion(template: string): string | undefined {
    return this.#templates.get(template)?.activeVersion;
  }

  /** Whether the operator soft-deleted `template`. */
  templateDeleted(template: string): boolean {
    return this.#templates.get(template)?.deleted ?? false;
  }

  /** The line of the latest `reconcile.preset` for a preset: where a reader starts looking. */
  lastReconcileLine(key: string): number | undefined {
    return this.#lastReconcile.get(key);
  }

  /** Prebuilt workspaces of a preset that the prebuilds user still owns and that are not deleted. */
  livePrebuilds(key: string): WorkspaceFacts[] {
    const ids = this.#livePrebuilds.get(key);
    if (ids === undefined) return [];
    return [...ids].map((id) => this.#workspaces.get(id)).filter((w) => w !== undefined);
  }

  /**
   * Whether some live prebuild of the preset has a latest build that is a start of this preset,
   * failed, at or after `since`: what a backoff needs first (checked per preset per cycle, and
   * usually false), without building `livePrebuilds`' list.
   */
  hasFailedStartSince(key: string, since: Instant): boolean {
    const ids = this.#livePrebuilds.get(key);
    if (ids === undefined) return false;
    for (const id of ids) {
      const ws = this.#workspaces.get(id);
      const b = ws === undefined ? undefined : latestBuild(ws);
      if (
        b !== undefined &&
        b.transition === "start" &&
        b.preset === key &&
        b.job.state === "failed" &&
        b.at >= since
      )
        return true;
    }
    return false;
  }

  apply(line: TraceLine): void {
    if (isKind(line, "reconcile.cycle.start")) {
      this.#cycles.set(line.actor, { actor: line.actor, startLine: line.seq, startAt: instantOf(line) });
    } else if (isKind(line, "reconcile.cycle.end")) {
      this.#cycles.delete(line.actor);
    } else if (isKind(line, "reconcile.preset")) {
      this.#presetKeys.set(line.presetId, line.preset);
      this.#lastReconcile.set(line.preset, line.seq);
    } else if (isKind(line, "preset.status")) {
      this.#presetKeys.set(line.presetId, line.preset);
    } else if (isKind(line, "workspace.create")) {
      this.#workspaces.set(line.workspace, {
        id: line.workspace,
        createLine: line.seq,
        prebuild: false,
        owner: line.owner,
        claimedLine: undefined,
        deleted: false,
        builds: [],
      });
    } else if (isKind(line, "build.create")) {
      this.#applyBuild(line);
    } else if (isKind(line, "job.acquire")) {
      this.#setJob(line.job, "running", line.seq);
    } else if (isKind(line, "job.complete")) {
      this.#setJob(line.job, line.status, line.seq);
    } else if (isKind(line, "job.cancel")) {
      this.#setJob(line.job, "canceled", line.seq);
    } else if (isKind(line, "workspace.delete")) {
      const ws = this.#workspaces.get(line.workspace);
      if (ws !== undefined) {
        ws.deleted = true;
        this.#forgetLive(ws);
      }
    } else if (isKind(line, "claim.result")) {
      const ws = line.hit ? this.#workspaces.get(line.workspace) : undefined;
      if (ws !== undefined) {
        ws.owner = line.user;
        ws.claimedLine = line.seq;
        this.#forgetLive(ws);
      }
    } else if (isKind(line, "operator.pause")) {
      this.#paused = line.paused;
    } else if (isKind(line, "operator.promote")) {
      this.#template(line.template, line.seq).activeVersion = line.version;
    } else if (isKind(line, "operator.deprecate")) {
      this.#template(line.template, line.seq).deprecated = true;
    } else if (isKind(line, "operator.deleteTemplate")) {
      this.#template(line.template, line.seq).deleted = true;
    }
  }

  #applyBuild(line: LineOf<"build.create">): void {
    let ws = this.#workspaces.get(line.workspace);
    if (ws === undefined) {
      // A build for a workspace whose creation the trace did not show: keep it, the checks on
      // build numbers and active jobs still apply.
      ws = {
        id: line.workspace,
        createLine: line.seq,
        prebuild: false,
        owner: line.initiator,
        claimedLine: undefined,
        deleted: false,
        builds: [],
      };
      this.#workspaces.set(ws.id, ws);
    }
    const job: JobFacts = {
      job: line.job,
      build: line.build,
      workspace: ws.id,
      state: "pending",
      line: line.seq,
    };
    this.#jobs.set(line.job, job);
    const preset = this.presetKey(line.preset);
    ws.builds.push({
      build: line.build,
      workspace: ws.id,
      buildNumber: line.buildNumber,
      transition: line.transition,
      initiator: line.initiator,
      preset,
      purpose: line.purpose,
      job,
      line: line.seq,
      at: instantOf(line),
      actor: line.actor,
    });
    if (ws.builds.length === 1 && line.initiator === PREBUILDS_INITIATOR) {
      ws.prebuild = true;
      ws.owner = PREBUILDS_INITIATOR;
      if (preset !== null) {
        let live = this.#livePrebuilds.get(preset);
        if (live === undefined) {
          live = new Set();
          this.#livePrebuilds.set(preset, live);
        }
        live.add(ws.id);
      }
    }
  }

  #setJob(id: string, state: JobState, line: number): void {
    const job = this.#jobs.get(id);
    if (job === undefined) return;
    job.state = state;
    job.line = line;
  }

  #forgetLive(ws: WorkspaceFacts): void {
    const preset = ws.builds[0]?.preset;
    if (preset !== null && preset !== undefined) this.#livePrebuilds.get(preset)?.delete(ws.id);
  }

  #template(name: string, line: number): TemplateActivity {
    const t = this.#templates.get(name);
    if (t === undefined)
      throw new Error(
        `trace line ${line}: operator event names template ${name}, which the scenario does not define`,
      );
    return t;
  }
}

/** The latest build of a workspace, or undefined when it has none. */
export function latestBuild(ws: WorkspaceFacts): BuildFacts | undefined {
  return ws.builds[ws.builds.length - 1];
}
