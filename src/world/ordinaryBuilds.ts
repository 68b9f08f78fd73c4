// People's ordinary builds (SCENARIOS.md `workload.builds`): at each planned instant a person,
// drawn at random, creates a workspace on the template's active version without choosing a preset,
// through coderd's create-workspace flow. Its job enters the provisioner queue beside the
// prebuilds' — FIFO by creation time, as upstream's AcquireProvisionerJob orders them — so
// prebuild jobs wait behind people's and the other way round. The person then waits until the
// workspace's agent is ready (`build.ready`).
//
// The person types their own value ("custom") for every parameter of the version, so the build
// matches no preset that sets a parameter. Like coderd, the flow still looks for a preset those
// values match (FindMatchingPresetID): a preset without parameters matches every request and turns
// the build into a claim attempt, as it would upstream — give such templates' presets parameters.
import type { Instant } from "../clock/types.ts";
import type { Store } from "../db/store.ts";
import { CLOSED, type Context, type RandomStream, select } from "../kernel/index.ts";
import { EnterpriseClaimer } from "../prebuilds/claimer.ts";
import { createWorkspace } from "../prebuilds/createWorkspace.ts";
import { errorMessage } from "../prebuilds/errors.ts";
import type { Template } from "../scenario/scenario.ts";
import type { Catalog, CatalogUser } from "./catalog.ts";
import { TraceLogger } from "./traceLogger.ts";
import { atEachPlannedInstant, type PeopleWorld } from "./users.ts";
import type { PlannedBuild } from "./workload.ts";

/** The value a person types for each parameter of an ordinary build: no preset's. */
export const CUSTOM_PARAMETER_VALUE = "custom";

export interface OrdinaryBuildOptions {
  /** The API's connection, which every person's requests use. */
  readonly store: Store;
  readonly catalog: Catalog;
  /** The scenario's templates, for the parameters of each version. */
  readonly templates: readonly Template[];
}

export class OrdinaryBuilds {
  /** How many builds were requested. */
  requested = 0;
  readonly #claimer = new EnterpriseClaimer();
  /** Who builds, and the ids of what they create: streams of their own, so claims draw as before. */
  readonly #choose: RandomStream;
  readonly #ids: RandomStream;

  constructor(
    private readonly world: PeopleWorld,
    private readonly options: OrdinaryBuildOptions,
  ) {
    this.#choose = world.stream("users/builds/choose");
    this.#ids = world.stream("users/builds/ids");
  }

  /** Makes each planned build at its instant; returns when done or canceled. */
  async run(ctx: Context, plan: readonly PlannedBuild[]): Promise<void> {
    const { kernel, clock } = this.world;
    await atEachPlannedInstant(this.world, ctx, plan, ["workload", "builds"], (planned) => {
      const person = this.#choose.choice(this.options.catalog.people);
      const n = this.requested++;
      const requestedAt = clock.now();
      kernel.spawn(`${person.actor} build ${n}`, () =>
        this.#request(ctx, person, planned.template, n, requestedAt),
      );
    });
  }

  async #request(
    ctx: Context,
    person: CatalogUser,
    templateName: string,
    n: number,
    requestedAt: Instant,
  ): Promise<void> {
    const { kernel, clock, emit } = this.world;
    const { catalog } = this.options;
    const actor = person.actor;
    emit({ actor, kind: "build.request", user: actor, template: templateName });
    const store = this.world.traced(this.options.store, actor);
    let workspace: string;
    let jobId: string;
    try {
      const template = await store.getTemplateById(catalog.template(templateName).id);
      if (template.deleted) throw new Error(`template ${templateName} is deleted`);
      if (template.deprecated !== "")
        throw new Error(`template ${templateName} is deprecated: ${template.deprecated}`);
      const version = catalog.versionById(template.activeVersionId);
      const spec = this.options.templates
        .find((t) => t.name === templateName)
        ?.versions.find((v) => v.name === version?.name);
      const richParameterValues = (spec?.parameters ?? []).map((p) => ({
        name: p.name,
        value: CUSTOM_PARAMETER_VALUE,
      }));
      const result = await createWorkspace(
        {
          store,
          clock,
          ids: this.#ids,
          claimer: this.#claimer,
          pubsub: this.world.pubsub,
          logger: new TraceLogger(actor, emit),
        },
        {
          ownerId: person.id,
          templateId: template.id,
          templateVersionId: template.activeVersionId,
          // Unique among the person's workspaces (claims name theirs `-ws-N`).
          name: `${person.username}-build-${n}`,
          richParameterValues,
        },
      );
      workspace = result.workspace.id;
      jobId = result.job.id;
      emit({ actor, kind: "build.result", user: actor, template: templateName, workspace });
    } catch (err) {
      const error = errorMessage(err);
      emit({ actor, kind: "build.result", user: actor, template: templateName, workspace: "", error });
      return;
    }
    const outcomes = this.world.outcomes;
    const done = await select(kernel, ctx, outcomes.watch(jobId));
    outcomes.release(jobId);
    if (done.index === 0 || done.value === CLOSED || done.value.kind === "failed") return;
    emit({ actor, kind: "build.ready", user: actor, workspace, waitMs: done.value.at - requestedAt });
  }
}
