// A concise builder of database states for tests, benchmarks and seeding: organizations, users,
// templates with versions, presets (parameters, schedules), workspaces, builds with their jobs in
// any status of spec §1.2, and agents. Ids come from a seeded stream, names from counters, so a
// fixture script always produces the same rows.
import type { Instant } from "../clock/types.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { DEFAULT_ORGANIZATION_ID, PREBUILDS_SYSTEM_USER_ID } from "./constants.ts";
import type {
  AgentLifecycleState,
  OrganizationRow,
  PresetRow,
  ProvisionerJobRow,
  TemplateRow,
  TemplateVersionRow,
  UserRow,
  WorkspaceAgentRow,
  WorkspaceBuildRow,
  WorkspaceRow,
  WorkspaceTransition,
} from "./rows.ts";
import type { Store } from "./store.ts";

/** A job status a fixture can put a build's job in (every derivable row of spec §1.2). */
export type JobOutcome = "pending" | "running" | "succeeded" | "failed" | "canceling" | "canceled";

export interface AgentSpec {
  lifecycle?: AgentLifecycleState;
  /** Index (in this list) of the parent agent: makes this a sub-agent. */
  parent?: number;
  deleted?: boolean;
}

export interface BuildSpec {
  workspace: WorkspaceRow;
  templateVersionId: string;
  transition?: WorkspaceTransition;
  /** Default: the prebuilds user. */
  initiatorId?: string;
  presetId?: string | null;
  status?: JobOutcome;
  /** Default: the previous build's number + 1. */
  buildNumber?: number;
  createdAt?: Instant;
  agents?: readonly AgentSpec[];
  parameters?: Readonly<Record<string, string>>;
}

export interface BuiltBuild {
  build: WorkspaceBuildRow;
  job: ProvisionerJobRow;
  agents: WorkspaceAgentRow[];
}

export interface PrebuildSpec {
  preset: PresetRow;
  templateId: string;
  status?: JobOutcome;
  /** One top-level agent, ready or still starting (default ready). Ignored when `agents` is set. */
  ready?: boolean;
  agents?: readonly AgentSpec[];
  createdAt?: Instant;
  /** Default: the prebuilds user; another owner models a claimed prebuild. */
  ownerId?: string;
  deleted?: boolean;
}

export class DbFixtures {
  readonly #store: Store;
  readonly #ids: RandomStream;
  readonly #now: () => Instant;
  readonly #counters = new Map<string, number>();

  constructor(store: Store, options: { ids: RandomStream; now: () => Instant }) {
    this.#store = store;
    this.#ids = options.ids;
    this.#now = options.now;
  }

  id(): string {
    return this.#ids.uuid();
  }

  async organization(p: { name?: string } = {}): Promise<OrganizationRow> {
    return this.#store.insertOrganization({
      id: this.id(),
      name: p.name ?? this.#name("org"),
      createdAt: this.#now(),
    });
  }

  async user(
    p: { username?: string; rbacRoles?: readonly string[]; organizationId?: string } = {},
  ): Promise<UserRow> {
    const username = p.username ?? this.#name("user");
    const user = await this.#store.insertUser({
      id: this.id(),
      email: `${username}@example.com`,
      username,
      rbacRoles: p.rbacRoles ?? [],
      createdAt: this.#now(),
    });
    await this.#store.insertOrganizationMember({
      organizationId: p.organizationId ?? DEFAULT_ORGANIZATION_ID,
      userId: user.id,
      createdAt: this.#now(),
      updatedAt: this.#now(),
    });
    return user;
  }

  /** A template with its first version, which is active. */
  async template(
    p: { name?: string; organizationId?: string; versionName?: string; createdBy?: string } = {},
  ): Promise<{ template: TemplateRow; version: TemplateVersionRow }> {
    const organizationId = p.organizationId ?? DEFAULT_ORGANIZATION_ID;
    const createdBy = p.createdBy ?? PREBUILDS_SYSTEM_USER_ID;
    const versionId = this.id();
    const template = await this.#store.insertTemplate({
      id: this.id(),
      organizationId,
      name: p.name ?? this.#name("template"),
      activeVersionId: versionId,
      createdBy,
      createdAt: this.#now(),
    });
    const version = await this.#store.insertTemplateVersion({
      id: versionId,
      templateId: template.id,
      organizationId,
      name: p.versionName ?? this.#name("v"),
      createdBy,
      createdAt: this.#now(),
    });
    return { template, version };
  }

  /** Another version of the template; inactive unless `activate`. */
  async templateVersion(p: {
    template: TemplateRow;
    name?: string;
    activate?: boolean;
  }): Promise<TemplateVersionRow> {
    const version = await this.#store.insertTemplateVersion({
      id: this.id(),
      templateId: p.template.id,
      organizationId: p.template.organizationId,
      name: p.name ?? this.#name("v"),
      createdBy: p.template.createdBy,
      createdAt: this.#now(),
    });
    if (p.activate === true) {
      await this.#store.updateTemplateActiveVersionById({
        id: p.template.id,
        activeVersionId: version.id,
        updatedAt: this.#now(),
      });
    }
    return version;
  }

  async preset(p: {
    templateVersionId: string;
    name?: string;
    /** null = no prebuild configuration; default 1. */
    desiredInstances?: number | null;
    invalidateAfterSecs?: number | null;
    schedulingTimezone?: string;
    parameters?: Readonly<Record<string, string>>;
    schedules?: readonly { cron: string; desiredInstances: number }[];
  }): Promise<PresetRow> {
    const preset = await this.#store.insertPreset({
      id: this.id(),
      templateVersionId: p.templateVersionId,
      name: p.name ?? this.#name("preset"),
      desiredInstances: p.desiredInstances === undefined ? 1 : p.desiredInstances,
      invalidateAfterSecs: p.invalidateAfterSecs ?? null,
      schedulingTimezone: p.schedulingTimezone ?? "",
      createdAt: this.#now(),
    });
    const entries = Object.entries(p.parameters ?? {});
    if (entries.length > 0) {
      await this.#store.insertPresetParameters({
        ids: entries.map(() => this.id()),
        templateVersionPresetId: preset.id,
        names: entries.map(([name]) => name),
        values: entries.map(([, value]) => value),
      });
    }
    for (const s of p.schedules ?? []) {
      await this.#store.insertPresetPrebuildSchedule({
        id: this.id(),
        presetId: preset.id,
        cronExpression: s.cron,
        desiredInstances: s.desiredInstances,
      });
    }
    return preset;
  }

  async workspace(p: {
    templateId: string;
    organizationId?: string;
    ownerId?: string;
    name?: string;
    createdAt?: Instant;
    deleted?: boolean;
  }): Promise<WorkspaceRow> {
    const workspace = await this.#store.insertWorkspace({
      id: this.id(),
      ownerId: p.ownerId ?? PREBUILDS_SYSTEM_USER_ID,
      organizationId: p.organizationId ?? DEFAULT_ORGANIZATION_ID,
      templateId: p.templateId,
      name: p.name ?? this.#name("workspace"),
      automaticUpdates: "never",
      createdAt: p.createdAt ?? this.#now(),
    });
    if (p.deleted !== true) return workspace;
    await this.deleteWorkspace(workspace);
    return this.#store.getWorkspaceById(workspace.id);
  }

  async deleteWorkspace(workspace: WorkspaceRow): Promise<void> {
    await this.#store.updateWorkspaceDeletedById({ id: workspace.id, deleted: true, updatedAt: this.#now() });
  }

  /** A build with its job in the requested status and, optionally, one resource with agents. */
  async build(spec: BuildSpec): Promise<BuiltBuild> {
    const createdAt = spec.createdAt ?? this.#now();
    const initiatorId = spec.initiatorId ?? PREBUILDS_SYSTEM_USER_ID;
    const transition = spec.transition ?? "start";
    const buildNumber = spec.buildNumber ?? (await this.#nextBuildNumber(spec.workspace.id));
    const buildId = this.id();
    const isPrebuild = initiatorId === PREBUILDS_SYSTEM_USER_ID;
    const job = await this.#store.insertProvisionerJob({
      id: this.id(),
      organizationId: spec.workspace.organizationId,
      initiatorId,
      type: "workspace_build",
      input: {
        workspaceBuildId: buildId,
        prebuiltWorkspaceBuildStage: isPrebuild && transition === "start" ? "create" : "none",
        orphan: false,
      },
      createdAt,
    });
    const build = await this.#store.insertWorkspaceBuild({
      id: buildId,
      workspaceId: spec.workspace.id,
      templateVersionId: spec.templateVersionId,
      buildNumber,
      transition,
      initiatorId,
      jobId: job.id,
      reason: "initiator",
      templateVersionPresetId: spec.presetId ?? null,
      createdAt,
    });
    const parameters = Object.entries(spec.parameters ?? {});
    if (parameters.length > 0) {
      await this.#store.insertWorkspaceBuildParameters({
        workspaceBuildId: build.id,
        names: parameters.map(([n]) => n),
        values: parameters.map(([, v]) => v),
      });
    }
    const agents = await this.#agents(job.id, transition, spec.agents ?? [], createdAt);
    const finished = await this.#settle(job, spec.status ?? "succeeded", createdAt);
    return { build, job: finished, agents };
  }

  /**
   * A prebuilt workspace of the preset: owned by the prebuilds user (unless `ownerId`), one start
   * build #1 by the prebuilds user carrying the preset, job succeeded, one ready agent.
   */
  async prebuild(spec: PrebuildSpec): Promise<{ workspace: WorkspaceRow } & BuiltBuild> {
    const createdAt = spec.createdAt ?? this.#now();
    const workspace = await this.workspace({
      templateId: spec.templateId,
      ...(spec.ownerId === undefined ? {} : { ownerId: spec.ownerId }),
      createdAt,
      ...(spec.deleted === undefined ? {} : { deleted: spec.deleted }),
    });
    const built = await this.build({
      workspace,
      templateVersionId: spec.preset.templateVersionId,
      presetId: spec.preset.id,
      status: spec.status ?? "succeeded",
      createdAt,
      agents: spec.agents ?? [{ lifecycle: spec.ready === false ? "starting" : "ready" }],
    });
    return { workspace, ...built };
  }

  async #nextBuildNumber(workspaceId: string): Promise<number> {
    const builds = await this.#store.getWorkspaceBuildsByWorkspaceId(workspaceId);
    return (builds.at(-1)?.buildNumber ?? 0) + 1;
  }

  async #agents(
    jobId: string,
    transition: WorkspaceTransition,
    specs: readonly AgentSpec[],
    at: Instant,
  ): Promise<WorkspaceAgentRow[]> {
    if (specs.length === 0) return [];
    const resource = await this.#store.insertWorkspaceResource({
      id: this.id(),
      jobId,
      transition,
      type: "docker_container",
      name: "main",
      createdAt: at,
    });
    const agents: WorkspaceAgentRow[] = [];
    for (const [i, spec] of specs.entries()) {
      const parent = spec.parent === undefined ? undefined : agents[spec.parent];
      if (spec.parent !== undefined && parent === undefined) {
        throw new RangeError(`agent ${i}: parent ${spec.parent} must be an earlier agent of the same build`);
      }
      const lifecycle = spec.lifecycle ?? "ready";
      const agent = await this.#store.insertWorkspaceAgent({
        id: this.id(),
        resourceId: resource.id,
        name: `agent-${i}`,
        parentId: parent?.id ?? null,
        lifecycleState: lifecycle,
        deleted: spec.deleted ?? false,
        createdAt: at,
      });
      agents.push(agent);
    }
    return agents;
  }

  /** Moves a fresh job to the requested status with the column combination of spec §1.2. */
  async #settle(job: ProvisionerJobRow, status: JobOutcome, at: Instant): Promise<ProvisionerJobRow> {
    switch (status) {
      case "pending":
        return job;
      case "running":
      case "succeeded":
      case "failed":
      case "canceling": {
        const started = await this.#store.updateProvisionerJobStartedById({
          id: job.id,
          workerId: this.id(),
          startedAt: at,
        });
        if (status === "running") return started;
        if (status === "canceling")
          return this.#store.updateProvisionerJobWithCancelById({
            id: job.id,
            canceledAt: at,
            completedAt: null,
          });
        return this.#store.updateProvisionerJobWithCompleteById({
          id: job.id,
          completedAt: at,
          error: status === "failed" ? "terraform apply failed" : null,
        });
      }
      case "canceled":
        return this.#store.updateProvisionerJobWithCancelById({
          id: job.id,
          canceledAt: at,
          completedAt: at,
        });
    }
  }

  #name(kind: string): string {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return `${kind}-${n}`;
  }
}
