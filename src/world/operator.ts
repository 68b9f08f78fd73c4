// What operators do (SCENARIOS.md `events`), at their instants, through the same queries as
// coderd's API handlers: promote a version, change a preset's desired instances, pause and resume
// reconciliation (the site setting, read at the next cycle's start), invalidate a template's
// prebuilds, deprecate a template, soft-delete it. Events at the same instant happen in file order.
import type { Duration } from "../clock/types.ts";
import type { Store } from "../db/store.ts";
import { select } from "../kernel/index.ts";
import { setPrebuildsReconciliationPaused } from "../prebuilds/settings.ts";
import type { OperatorAction, OperatorEvent } from "../scenario/scenario.ts";
import type { Catalog } from "./catalog.ts";
import { RetryCanceledError, retryOnDatabaseError } from "./retry.ts";
import type { World } from "./world.ts";

export const OPERATOR_ACTOR = "operator";

export type OperatorWorld = Pick<World, "kernel" | "clock" | "ctx" | "emit" | "settings">;

export interface OperatorOptions {
  /** The operator's connection, traced as the operator. */
  readonly store: Store;
  readonly catalog: Catalog;
}

/** Performs one action now and records it. */
export async function performOperatorAction(
  action: OperatorAction,
  world: Pick<World, "clock" | "emit">,
  { store, catalog }: OperatorOptions,
): Promise<void> {
  const { clock, emit } = world;
  const actor = OPERATOR_ACTOR;
  switch (action.kind) {
    case "promote": {
      const v = catalog.version(action.template, action.version);
      await store.updateTemplateActiveVersionById({
        id: v.templateId,
        activeVersionId: v.id,
        updatedAt: clock.now(),
      });
      emit({ actor, kind: "operator.promote", template: action.template, version: action.version });
      return;
    }
    case "setDesired": {
      const p = catalog.preset(action.template, action.version, action.preset);
      await store.updatePresetDesiredInstancesById({ id: p.id, desiredInstances: action.instances });
      emit({ actor, kind: "operator.setDesired", preset: p.key, instances: action.instances });
      return;
    }
    case "pause":
      await setPrebuildsReconciliationPaused(store, action.paused);
      emit({ actor, kind: "operator.pause", paused: action.paused });
      return;
    case "invalidate": {
      const t = catalog.template(action.template);
      const presets = await store.updatePresetsLastInvalidatedAt({
        templateId: t.id,
        lastInvalidatedAt: clock.now(),
      });
      const keys = presets.map((row) => catalog.presetById(row.id)?.key ?? row.name).sort();
      emit({ actor, kind: "operator.invalidate", template: action.template, presets: keys });
      return;
    }
    case "deprecate": {
      const t = catalog.template(action.template);
      await store.updateTemplateDeprecatedById({
        id: t.id,
        deprecated: action.message,
        updatedAt: clock.now(),
      });
      emit({ actor, kind: "operator.deprecate", template: action.template });
      return;
    }
    case "deleteTemplate": {
      const t = catalog.template(action.template);
      await store.updateTemplateDeletedById({ id: t.id, deleted: true, updatedAt: clock.now() });
      emit({ actor, kind: "operator.deleteTemplate", template: action.template });
      return;
    }
  }
}

/**
 * The operator's timeline as a task body: each event at its instant, re-run every `retryEvery`
 * while a database fault fails it (as a person re-runs a failed command); returns when done or
 * canceled.
 */
export async function runOperator(
  world: OperatorWorld,
  options: OperatorOptions & {
    readonly events: readonly OperatorEvent[];
    /** How long before a failed action is tried again. */
    readonly retryEvery: Duration;
  },
): Promise<void> {
  const { kernel, clock, ctx } = world;
  const { events, retryEvery } = options;
  // Stable: events at one instant keep their file order.
  const timeline = [...events].sort((a, b) => a.at - b.at);
  try {
    for (const event of timeline) {
      const wait = event.at - clock.now();
      if (wait > 0) {
        const timer = clock.newTimer(wait, OPERATOR_ACTOR, event.kind);
        const woke = await select(kernel, ctx, timer.c);
        timer.stop();
        if (woke.index === 0) return;
      }
      await retryOnDatabaseError(world, ctx, OPERATOR_ACTOR, `operator ${event.kind}`, retryEvery, () =>
        performOperatorAction(event, world, options),
      );
    }
  } catch (err) {
    if (!(err instanceof RetryCanceledError)) throw err;
  }
}
