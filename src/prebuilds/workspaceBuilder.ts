// The workspace builder (upstream `coderd/wsbuilder`): the one place that turns "build this
// workspace" into a workspace build, its parameter values and its provisioner job, with the checks
// the reconciler relies on (spec §4.12): build numbers continue per workspace, no second build
// while one is active, parameters validated against the template version (a refusal is a 400
// BuildError, which marks a preset `validation_failed`), and orphan deletes that complete at once.
//
// Only the classic parameter flow is modelled: template version parameters with required /
// default / immutable, previous build values, preset values overriding requested ones.
import type { Clock } from "../clock/types.ts";
import { isNoRows, isUniqueViolation } from "../db/errors.ts";
import type {
  BuildReason,
  PrebuiltWorkspaceBuildStage,
  ProvisionerJobRow,
  TemplateRow,
  TemplateVersionParameterRow,
  TemplateVersionRow,
  WorkspaceBuildParameterRow,
  WorkspaceBuildRow,
  WorkspaceRow,
  WorkspaceTransition,
} from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { BuildError, HttpStatus } from "./buildError.ts";

/** A requested parameter value (upstream `codersdk.WorkspaceBuildParameter`). */
export interface WorkspaceBuildParameter {
  readonly name: string;
  readonly value: string;
}

/** What a build needs besides the database: the time and where new ids come from. */
export interface BuildDeps {
  readonly clock: Pick<Clock, "now">;
  readonly ids: RandomStream;
}

export interface BuildResult {
  readonly workspace: WorkspaceRow;
  readonly build: WorkspaceBuildRow;
  /** For an orphan delete this job is already completed. */
  readonly job: ProvisionerJobRow;
}

/**
 * How the template version is chosen: the template's active version, a given one, or (the
 * default, as for deletes) the version of the workspace's last build.
 */
type VersionTarget = { readonly kind: "active" } | { readonly kind: "specific"; readonly id: string } | null;

interface BuilderSettings {
  readonly version: VersionTarget;
  readonly initiator: string | null;
  readonly reason: BuildReason;
  readonly richParameterValues: readonly WorkspaceBuildParameter[];
  readonly templateVersionPresetId: string | null;
  readonly stage: PrebuiltWorkspaceBuildStage;
  readonly orphan: boolean;
}

const DEFAULT_SETTINGS: BuilderSettings = {
  version: null,
  initiator: null,
  reason: "initiator",
  richParameterValues: [],
  templateVersionPresetId: null,
  stage: "none",
  orphan: false,
};

/** Job statuses during which a workspace may not get another build. */
const ACTIVE_JOB_STATUSES = new Set(["pending", "running", "canceling"]);

/**
 * Immutable, like upstream's value-receiver builder: every option returns a new builder, so a
 * half-configured builder can be shared.
 */
export class WorkspaceBuilder {
  private constructor(
    readonly workspace: WorkspaceRow,
    readonly transition: WorkspaceTransition,
    private readonly settings: BuilderSettings,
  ) {}

  static create(workspace: WorkspaceRow, transition: WorkspaceTransition): WorkspaceBuilder {
    return new WorkspaceBuilder(workspace, transition, DEFAULT_SETTINGS);
  }

  versionId(id: string): WorkspaceBuilder {
    return this.#with({ version: { kind: "specific", id } });
  }
  activeVersion(): WorkspaceBuilder {
    return this.#with({ version: { kind: "active" } });
  }
  /** Who started the build; defaults to the workspace owner. */
  initiator(userId: string): WorkspaceBuilder {
    return this.#with({ initiator: userId });
  }
  reason(reason: BuildReason): WorkspaceBuilder {
    return this.#with({ reason });
  }
  richParameterValues(values: readonly WorkspaceBuildParameter[]): WorkspaceBuilder {
    return this.#with({ richParameterValues: values });
  }
  /** Without it, the builder looks for a preset whose parameters the build's values satisfy. */
  templateVersionPresetId(id: string): WorkspaceBuilder {
    return this.#with({ templateVersionPresetId: id });
  }
  /** Tells the provisioner this build creates a prebuilt workspace. */
  markPrebuild(): WorkspaceBuilder {
    return this.#with({ stage: "create" });
  }
  /** Tells the provisioner this build hands a prebuilt workspace to its new owner. */
  markPrebuiltWorkspaceClaim(): WorkspaceBuilder {
    return this.#with({ stage: "claim" });
  }
  /** Delete without destroying resources: no provisioner state is sent. */
  orphan(): WorkspaceBuilder {
    return this.#with({ orphan: true });
  }

  #with(changes: Partial<BuilderSettings>): WorkspaceBuilder {
    return new WorkspaceBuilder(this.workspace, this.transition, { ...this.settings, ...changes });
  }

  /**
   * Inserts the build, its parameters and its job, in one repeatable-read transaction (or in the
   * caller's transaction when `store` already is one). Rejects with a BuildError.
   */
  async build(store: Store, deps: BuildDeps): Promise<BuildResult> {
    if (store.scope === "transaction") return new BuildRun(this, this.settings, store, deps).run();
    return store.inTx((tx) => new BuildRun(this, this.settings, tx, deps).run(), {
      isolation: "repeatable read",
      txIdentifier: "wsbuilder.Build",
    });
  }
}

/** One execution of `build`, caching what it fetched (upstream keeps the same cache on the builder). */
class BuildRun {
  readonly #workspace: WorkspaceRow;
  readonly #transition: WorkspaceTransition;
  #template: TemplateRow | undefined;
  #templateVersion: TemplateVersionRow | undefined;
  /** undefined = not fetched yet; null = the workspace has no build. */
  #lastBuild: WorkspaceBuildRow | null | undefined;

  constructor(
    builder: WorkspaceBuilder,
    private readonly settings: BuilderSettings,
    private readonly tx: Store,
    private readonly deps: BuildDeps,
  ) {
    this.#workspace = builder.workspace;
    this.#transition = builder.transition;
  }

  async run(): Promise<BuildResult> {
    const template = await this.#checkTemplateVersionMatchesTemplate();
    await this.#checkTemplateJobStatus();
    await this.#checkRunningBuild();

    const version = await this.#getTemplateVersion();
    const lastBuild = await this.#getLastBuild();
    const buildNumber = lastBuild === null ? 1 : lastBuild.buildNumber + 1;
    const { names, values } = await this.#getParameters(version.id);

    let presetId = this.settings.templateVersionPresetId;
    if (presetId === null) {
      try {
        presetId = await this.tx.findMatchingPresetId({
          templateVersionId: version.id,
          parameterNames: names,
          parameterValues: values,
        });
      } catch (err) {
        throw new BuildError(HttpStatus.InternalServerError, "find matching preset", err);
      }
    }

    const now = this.deps.clock.now();
    const initiator = this.settings.initiator ?? this.#workspace.ownerId;
    const buildId = this.deps.ids.uuid();
    const jobId = this.deps.ids.uuid();

    let job: ProvisionerJobRow;
    try {
      job = await this.tx.insertProvisionerJob({
        id: jobId,
        organizationId: template.organizationId,
        initiatorId: initiator,
        provisioner: template.provisioner,
        type: "workspace_build",
        input: {
          workspaceBuildId: buildId,
          templateVersionId: version.id,
          prebuiltWorkspaceBuildStage: this.settings.stage,
          orphan: this.settings.orphan,
        },
        createdAt: now,
      });
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "insert provisioner job", err);
    }

    let build: WorkspaceBuildRow;
    try {
      build = await this.tx.insertWorkspaceBuild({
        id: buildId,
        workspaceId: this.#workspace.id,
        templateVersionId: version.id,
        buildNumber,
        transition: this.#transition,
        initiatorId: initiator,
        jobId,
        reason: this.settings.reason,
        templateVersionPresetId: presetId,
        createdAt: now,
      });
    } catch (err) {
      // Two concurrent builds of one workspace collide on (workspace_id, build_number).
      const status = isUniqueViolation(err) ? HttpStatus.Conflict : HttpStatus.InternalServerError;
      throw new BuildError(status, "insert workspace build", err);
    }

    try {
      await this.tx.insertWorkspaceBuildParameters({ workspaceBuildId: buildId, names, values });
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "insert workspace build parameters", err);
    }

    // deviation: always the no-provisioner path for an orphan delete (README Fidelity: workspace builder)
    if (this.settings.orphan && this.#transition === "delete") {
      job = await this.#completeOrphanDelete(job, now);
    }
    return { workspace: this.#workspace, build, job };
  }

  /**
   * An orphan delete sends Terraform an empty state, so it would destroy nothing: upstream
   * completes it in the same transaction when no provisioner is available to run it. The
   * simulation keeps no registry of live provisioner daemons, so it always takes that path — the
   * one the reconciler's cancel-pending flow relies on (spec §4.11: a completed, worker-less job).
   */
  async #completeOrphanDelete(job: ProvisionerJobRow, now: number): Promise<ProvisionerJobRow> {
    let completed: ProvisionerJobRow;
    try {
      completed = await this.tx.updateProvisionerJobWithCompleteById({
        id: job.id,
        completedAt: now,
        error: null,
      });
    } catch (err) {
      throw new BuildError(
        HttpStatus.InternalServerError,
        "mark orphan-delete provisioner job as completed",
        err,
      );
    }
    try {
      await this.tx.updateWorkspaceDeletedById({ id: this.#workspace.id, deleted: true, updatedAt: now });
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "mark workspace as deleted", err);
    }
    return completed;
  }

  async #getTemplate(): Promise<TemplateRow> {
    if (this.#template === undefined) {
      this.#template = await this.tx.getTemplateById(this.#workspace.templateId);
    }
    return this.#template;
  }

  async #getLastBuild(): Promise<WorkspaceBuildRow | null> {
    if (this.#lastBuild === undefined) {
      try {
        this.#lastBuild = await this.tx.getLatestWorkspaceBuildByWorkspaceId(this.#workspace.id);
      } catch (err) {
        if (!isNoRows(err)) throw err;
        this.#lastBuild = null;
      }
    }
    return this.#lastBuild;
  }

  async #getTemplateVersionId(): Promise<string> {
    const target = this.settings.version;
    if (target?.kind === "specific") return target.id;
    if (target?.kind === "active") return (await this.#getTemplate()).activeVersionId;
    const last = await this.#getLastBuild();
    if (last === null) {
      throw new BuildError(
        HttpStatus.BadRequest,
        "template version does not exist",
        new Error(`workspace ${this.#workspace.id} has no build to take the version from`),
      );
    }
    return last.templateVersionId;
  }

  async #getTemplateVersion(): Promise<TemplateVersionRow> {
    if (this.#templateVersion === undefined) {
      const id = await this.#getTemplateVersionId();
      this.#templateVersion = await this.tx.getTemplateVersionById(id);
    }
    return this.#templateVersion;
  }

  async #checkTemplateVersionMatchesTemplate(): Promise<TemplateRow> {
    let template: TemplateRow;
    try {
      template = await this.#getTemplate();
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "failed to fetch template", err);
    }
    let version: TemplateVersionRow;
    try {
      version = await this.#getTemplateVersion();
    } catch (err) {
      if (err instanceof BuildError) throw err;
      if (isNoRows(err)) throw new BuildError(HttpStatus.BadRequest, "template version does not exist", err);
      throw new BuildError(HttpStatus.InternalServerError, "failed to fetch template version", err);
    }
    if (version.templateId !== template.id) {
      throw new BuildError(
        HttpStatus.BadRequest,
        "template version doesn't match template",
        new Error(
          `template version ${version.id} belongs to template ${version.templateId}, not ${template.id}`,
        ),
      );
    }
    return template;
  }

  /** A version whose import is unfinished or failed cannot be built. */
  async #checkTemplateJobStatus(): Promise<void> {
    const version = await this.#getTemplateVersion();
    // The simulation may import a version instantly, without a job.
    if (version.jobId === null) return;
    let status: string;
    try {
      status = (await this.tx.getProvisionerJobById(version.jobId)).jobStatus;
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "failed to fetch template version job", err);
    }
    if (status === "pending" || status === "running") {
      throw new BuildError(
        HttpStatus.NotAcceptable,
        `The provided template version is ${status}. Wait for it to complete importing!`,
      );
    }
    if (status === "failed" || status === "canceled") {
      throw new BuildError(
        HttpStatus.BadRequest,
        `The provided template version "${version.name}" has failed to import. You cannot build workspaces with it!`,
      );
    }
  }

  async #checkRunningBuild(): Promise<void> {
    let last: WorkspaceBuildRow | null;
    let status: string;
    try {
      last = await this.#getLastBuild();
      if (last === null) return;
      status = (await this.tx.getProvisionerJobById(last.jobId)).jobStatus;
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "failed to fetch prior build", err);
    }
    if (ACTIVE_JOB_STATUSES.has(status)) {
      throw new BuildError(
        HttpStatus.Conflict,
        `A workspace build is already active (workspace ${this.#workspace.id}, build ${last.buildNumber} is ${status}).`,
      );
    }
  }

  /**
   * The classic parameter resolution: for each parameter of the version, in order, the preset's
   * value, else the requested value, else the last build's value, else the default. A required
   * parameter (no default) that gets no value, or an immutable one whose value would change, is
   * a 400: the request itself cannot be built. Deletes are not validated.
   */
  async #getParameters(templateVersionId: string): Promise<{ names: string[]; values: string[] }> {
    let versionParameters: TemplateVersionParameterRow[];
    let lastValues: WorkspaceBuildParameterRow[];
    let presetValues: readonly WorkspaceBuildParameter[];
    try {
      versionParameters = await this.tx.getTemplateVersionParameters(templateVersionId);
      const last = await this.#getLastBuild();
      lastValues = last === null ? [] : await this.tx.getWorkspaceBuildParameters(last.id);
      presetValues = await this.#getPresetParameterValues(templateVersionId);
    } catch (err) {
      throw new BuildError(HttpStatus.InternalServerError, "failed to fetch parameters", err);
    }

    const names: string[] = [];
    const values: string[] = [];
    for (const parameter of versionParameters) {
      const requested =
        presetValues.find((p) => p.name === parameter.name) ??
        this.settings.richParameterValues.find((p) => p.name === parameter.name);
      const previous = lastValues.find((p) => p.name === parameter.name);
      // A delete only carries the values forward: a parameter the template now requires must not
      // keep a workspace from being deleted (spec §4.12).
      // deviation: deletes skip validation (README Fidelity: workspace builder)
      const value =
        this.#transition === "delete"
          ? (requested?.value ?? previous?.value ?? parameter.defaultValue)
          : resolveParameter(parameter, requested?.value, previous?.value);
      names.push(parameter.name);
      values.push(value);
    }
    return { names, values };
  }

  async #getPresetParameterValues(templateVersionId: string): Promise<readonly WorkspaceBuildParameter[]> {
    const presetId = this.settings.templateVersionPresetId;
    if (presetId === null) return [];
    const all = await this.tx.getPresetParametersByTemplateVersionId(templateVersionId);
    return all.filter((p) => p.templateVersionPresetId === presetId);
  }
}

/** Upstream's `ParameterResolver.ValidateResolve`, for one parameter. Throws a 400 BuildError. */
export function resolveParameter(
  parameter: TemplateVersionParameterRow,
  requested: string | undefined,
  previous: string | undefined,
): string {
  const invalid = (reason: string): never => {
    throw new BuildError(
      HttpStatus.BadRequest,
      `Unable to validate parameter "${parameter.name}"`,
      new Error(`parameter validation failed: ${reason}`),
    );
  };
  if (!parameter.mutable && requested !== undefined && previous !== undefined && requested !== previous) {
    invalid(
      `parameter "${parameter.name}" is not mutable, so it can't be updated after creating a workspace`,
    );
  }
  // Upstream's `required` means "has no default"; a default satisfies it here too.
  const required = parameter.required && parameter.defaultValue === "";
  if (required && requested === undefined && previous === undefined) {
    invalid(`parameter "${parameter.name}" is required but not provided`);
  }
  return requested ?? previous ?? parameter.defaultValue;
}
