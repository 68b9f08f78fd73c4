// The create-workspace flow of coderd (spec §5.2), the only place a prebuild is claimed: with a
// preset (given, or inferred from the requested parameters), try to claim a ready prebuild inside
// the creation transaction and start it for the user; when none is claimable (or prebuilds are
// not licensed) create a brand-new workspace instead; any other claim error fails the request.
import type { Clock, Duration, Instant } from "../clock/types.ts";
import type { ProvisionerJobRow, WorkspaceBuildRow, WorkspaceRow } from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import type { RandomStream } from "../kernel/rng.ts";
import {
  AGPLDoesNotSupportPrebuiltWorkspacesError,
  type Claimer,
  NoClaimablePrebuiltWorkspacesError,
} from "./claimer.ts";
import { errorMessage, wrapError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { type Pubsub, postJob } from "./pubsub.ts";
import { WorkspaceBuilder, type WorkspaceBuildParameter } from "./workspaceBuilder.ts";

export interface CreateWorkspaceRequest {
  /** The requesting user, who owns the result. */
  readonly ownerId: string;
  readonly templateId: string;
  /** Defaults to the template's active version. */
  readonly templateVersionId?: string;
  readonly name: string;
  /** When absent, inferred from `richParameterValues` with FindMatchingPresetID. */
  readonly templateVersionPresetId?: string;
  readonly richParameterValues?: readonly WorkspaceBuildParameter[];
  readonly autostartSchedule?: string | null;
  readonly nextStartAt?: Instant | null;
  readonly ttl?: Duration | null;
}

export interface CreateWorkspaceDeps {
  readonly store: Store;
  readonly clock: Pick<Clock, "now">;
  readonly ids: RandomStream;
  readonly claimer: Claimer;
  /** Where the new job is announced to provisioner daemons; null = they find it by polling. */
  readonly pubsub: Pubsub | null;
  readonly logger: Logger;
}

/** How the preset and the claim attempt went: what the world records as a hit or a miss. */
export type ClaimOutcome =
  | "claimed"
  /** A preset was known but no prebuild was claimable (upstream's claim_missed). */
  | "no_claimable"
  /** A preset was known but the claimer is the AGPL one. */
  | "not_supported"
  /** No preset given or matched: no claim was attempted. */
  | "no_preset";

export interface CreateWorkspaceResult {
  readonly workspace: WorkspaceRow;
  readonly build: WorkspaceBuildRow;
  readonly job: ProvisionerJobRow;
  readonly presetId: string | null;
  readonly claim: ClaimOutcome;
}

export async function createWorkspace(
  deps: CreateWorkspaceDeps,
  request: CreateWorkspaceRequest,
): Promise<CreateWorkspaceResult> {
  const { store, clock, ids, claimer, logger } = deps;
  const template = await store.getTemplateById(request.templateId);
  const templateVersionId = request.templateVersionId ?? template.activeVersionId;
  const parameters = request.richParameterValues ?? [];

  let presetId = request.templateVersionPresetId ?? null;
  if (presetId === null) {
    try {
      presetId = await store.findMatchingPresetId({
        templateVersionId,
        parameterNames: parameters.map((p) => p.name),
        parameterValues: parameters.map((p) => p.value),
      });
    } catch (err) {
      throw wrapError(`find matching preset for template version ${templateVersionId}`, err);
    }
  }

  const now = clock.now();
  const result = await store.inTx(
    async (tx): Promise<CreateWorkspaceResult> => {
      let claim: ClaimOutcome = "no_preset";
      let workspace: WorkspaceRow | null = null;
      if (presetId !== null) {
        try {
          const claimedId = await claimer.claim(tx, {
            now,
            userId: request.ownerId,
            name: request.name,
            presetId,
            autostartSchedule: request.autostartSchedule ?? null,
            nextStartAt: request.nextStartAt ?? null,
            ttl: request.ttl ?? null,
          });
          // Re-read: the claim changed owner, name and schedule fields.
          workspace = await tx.getWorkspaceById(claimedId);
          claim = "claimed";
        } catch (err) {
          if (err instanceof NoClaimablePrebuiltWorkspacesError) {
            claim = "no_claimable";
          } else if (err instanceof AGPLDoesNotSupportPrebuiltWorkspacesError) {
            claim = "not_supported";
          } else {
            throw wrapError(`claim prebuilt workspace for user ${request.ownerId}`, err);
          }
          logger.debug("no prebuilt workspace claimed, creating a new workspace", {
            preset_id: presetId,
            reason: errorMessage(err),
          });
        }
      }

      if (workspace === null) {
        workspace = await tx.insertWorkspace({
          id: ids.uuid(),
          ownerId: request.ownerId,
          organizationId: template.organizationId,
          templateId: template.id,
          name: request.name,
          autostartSchedule: request.autostartSchedule ?? null,
          ttl: request.ttl ?? null,
          automaticUpdates: "never",
          nextStartAt: request.nextStartAt ?? null,
          createdAt: now,
        });
      }

      let builder = WorkspaceBuilder.create(workspace, "start")
        .reason("initiator")
        .initiator(request.ownerId)
        .versionId(templateVersionId)
        .richParameterValues(parameters);
      if (presetId !== null) builder = builder.templateVersionPresetId(presetId);
      // The provisioner tells the template it is handing over a prebuild, not creating one.
      if (claim === "claimed") builder = builder.markPrebuiltWorkspaceClaim();
      const { build, job } = await builder.build(tx, { clock, ids });
      return { workspace, build, job, presetId, claim };
    },
    { isolation: "repeatable read", txIdentifier: "coderd.createWorkspace" },
  );

  // Announced after commit, as upstream does: pubsub must not hold up the transaction.
  if (deps.pubsub !== null) {
    try {
      await postJob(deps.pubsub, result.job);
    } catch (err) {
      logger.error("failed to post provisioner job to pubsub", {
        job_id: result.job.id,
        error: errorMessage(err),
      });
    }
  }
  return result;
}
