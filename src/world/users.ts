// The simulated people (SCENARIOS.md `users`, `workload`): at each planned claim a person, drawn
// at random, creates a workspace with the stream's preset through coderd's create-workspace flow,
// which claims a ready prebuild when it can (a hit) and builds a new workspace otherwise (a miss).
// The person then waits until the build's job has finished and the workspace's agent is ready; that
// wait is the claim's `waitMs`.
//
// The preset is looked up on the template's active version at request time, as a person picking
// it in the UI would: after a promotion, claims go to the new version's preset of the same name.

import type { Duration, Instant } from "../clock/types.ts";
import type { Store } from "../db/store.ts";
import { CLOSED, type Context, type RandomStream, select } from "../kernel/index.ts";
import { EnterpriseClaimer } from "../prebuilds/claimer.ts";
import { createWorkspace } from "../prebuilds/createWorkspace.ts";
import { errorMessage } from "../prebuilds/errors.ts";
import type { PresetRef } from "../scenario/scenario.ts";
import { claimKey } from "../trace/presetKey.ts";
import type { Catalog, CatalogPreset, CatalogUser } from "./catalog.ts";
import { TraceLogger } from "./traceLogger.ts";
import type { PlannedClaim } from "./workload.ts";
import type { World } from "./world.ts";

/** One person's request for a workspace, as the run's results report it. */
export interface ClaimRecord {
  /** The person, `user-N`. */
  readonly user: string;
  /** `template/preset`, as the workload names it. */
  readonly preset: string;
  readonly requestedAt: Instant;
  /** A prebuilt workspace was claimed. */
  hit: boolean;
  /** The workspace the person got, or null when the request failed. */
  workspace: string | null;
  /** From the request until the workspace's agent was ready; null when it never was. */
  waitMs: Duration | null;
  /** Why the request or its build failed. */
  error: string | null;
}

/** What people use of the world: its pubsub (a miss announces its job) and their jobs' outcomes. */
export type PeopleWorld = Pick<
  World,
  "kernel" | "clock" | "pubsub" | "outcomes" | "emit" | "stream" | "traced"
>;

export interface PeopleOptions {
  /** The API's connection, which every person's requests use. */
  readonly store: Store;
  readonly catalog: Catalog;
}

/** Waits on the virtual clock until `at` (at once when it has passed); false when `ctx` ended first. */
export async function sleepUntil(
  world: Pick<World, "kernel" | "clock">,
  ctx: Context,
  at: Instant,
  ...tags: string[]
): Promise<boolean> {
  const wait = at - world.clock.now();
  if (wait <= 0) return true;
  const timer = world.clock.newTimer(wait, ...tags);
  const woke = await select(world.kernel, ctx, timer.c);
  timer.stop();
  return woke.index !== 0;
}

/**
 * A workload task's loop: waits for each planned instant in turn and acts on it there; returns
 * when the plan is done or `ctx` ended. The act spawns what takes time, so instants are kept.
 */
export async function atEachPlannedInstant<P extends { readonly at: Instant }>(
  world: Pick<World, "kernel" | "clock">,
  ctx: Context,
  plan: readonly P[],
  tags: readonly string[],
  act: (planned: P) => void,
): Promise<void> {
  for (const planned of plan) {
    if (!(await sleepUntil(world, ctx, planned.at, ...tags))) return;
    act(planned);
  }
}

function refText(ref: PresetRef): string {
  return claimKey(ref.template, ref.preset);
}

export class People {
  /** Every request, in the order they were made. */
  readonly claims: ClaimRecord[] = [];
  readonly #claimer = new EnterpriseClaimer();
  /** Who makes each request. */
  readonly #choose: RandomStream;
  /** Ids of the workspaces, builds and jobs people create. */
  readonly #ids: RandomStream;

  constructor(
    private readonly world: PeopleWorld,
    private readonly options: PeopleOptions,
  ) {
    this.#choose = world.stream("users/choose");
    this.#ids = world.stream("users/ids");
  }

  /** The workload task: makes each planned request at its instant; returns when done or canceled. */
  async run(ctx: Context, plan: readonly PlannedClaim[]): Promise<void> {
    const { kernel, clock } = this.world;
    const { catalog } = this.options;
    await atEachPlannedInstant(this.world, ctx, plan, ["workload"], (planned) => {
      const person = this.#choose.choice(catalog.people);
      const n = this.claims.length;
      const record: ClaimRecord = {
        user: person.actor,
        preset: refText(planned.preset),
        requestedAt: clock.now(),
        hit: false,
        workspace: null,
        waitMs: null,
        error: null,
      };
      this.claims.push(record);
      kernel.spawn(`${person.actor} claim ${n}`, () => this.#request(ctx, person, planned.preset, record, n));
    });
  }

  async #request(
    ctx: Context,
    person: CatalogUser,
    ref: PresetRef,
    record: ClaimRecord,
    n: number,
  ): Promise<void> {
    const { kernel, clock, emit } = this.world;
    const actor = person.actor;
    emit({ actor, kind: "claim.request", user: actor, preset: record.preset });
    const store = this.world.traced(this.options.store, actor);
    let jobId: string;
    try {
      const preset = await this.#activePreset(store, ref);
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
          templateId: preset.templateId,
          templateVersionId: preset.versionId,
          // Unique among the person's workspaces, as coderd requires; n counts every request.
          name: `${person.username}-ws-${n}`,
          templateVersionPresetId: preset.id,
          richParameterValues: preset.spec.parameters,
        },
      );
      record.hit = result.claim === "claimed";
      record.workspace = result.workspace.id;
      jobId = result.job.id;
      emit({
        actor,
        kind: "claim.result",
        user: actor,
        preset: record.preset,
        hit: record.hit,
        workspace: result.workspace.id,
      });
    } catch (err) {
      record.error = errorMessage(err);
      emit({
        actor,
        kind: "claim.result",
        user: actor,
        preset: record.preset,
        hit: false,
        workspace: "",
        error: record.error,
      });
      return;
    }

    const outcomes = this.world.outcomes;
    const done = await select(kernel, ctx, outcomes.watch(jobId));
    outcomes.release(jobId);
    if (done.index === 0 || done.value === CLOSED) return;
    const outcome = done.value;
    if (outcome.kind === "failed") {
      record.error = outcome.error;
      return;
    }
    record.waitMs = outcome.at - record.requestedAt;
    emit({
      actor,
      kind: "claim.ready",
      user: actor,
      workspace: record.workspace,
      hit: record.hit,
      waitMs: record.waitMs,
    });
  }

  /** The preset named `ref` on the template's active version now; refuses what coderd would refuse. */
  async #activePreset(store: Store, ref: PresetRef): Promise<CatalogPreset> {
    const { catalog } = this.options;
    const template = await store.getTemplateById(catalog.template(ref.template).id);
    if (template.deleted) throw new Error(`template ${ref.template} is deleted`);
    if (template.deprecated !== "")
      throw new Error(`template ${ref.template} is deprecated: ${template.deprecated}`);
    const version = catalog.versionById(template.activeVersionId);
    const preset = version?.presets.find((p) => p.name === ref.preset);
    if (version === undefined || preset === undefined) {
      throw new Error(`template ${ref.template} has no preset ${ref.preset} on its active version`);
    }
    return preset;
  }
}
