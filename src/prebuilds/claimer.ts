// Claiming a prebuilt workspace (spec §5): the `Claimer` the create-workspace flow asks for a
// ready prebuild of a preset. The enterprise claimer runs the claim query; the AGPL one, installed
// when the premium feature is not entitled, always refuses.
import type { Duration, Instant } from "../clock/types.ts";
import type { Store } from "../db/store.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "./constants.ts";
import { wrapError } from "./errors.ts";

/** No ready prebuild of the preset could be claimed: create a workspace the normal way. */
export class NoClaimablePrebuiltWorkspacesError extends Error {
  override readonly name = "NoClaimablePrebuiltWorkspacesError";
  constructor(readonly presetId: string) {
    super(`no claimable prebuilt workspaces found (preset ${presetId})`);
  }
}

/** The AGPL build has no prebuilds: create a workspace the normal way. */
export class AGPLDoesNotSupportPrebuiltWorkspacesError extends Error {
  override readonly name = "AGPLDoesNotSupportPrebuiltWorkspacesError";
  constructor() {
    super("prebuilt workspaces functionality is not supported under the AGPL license");
  }
}

export interface ClaimRequest {
  readonly now: Instant;
  /** The new owner. */
  readonly userId: string;
  /** The workspace's new name. */
  readonly name: string;
  readonly presetId: string;
  readonly autostartSchedule: string | null;
  readonly nextStartAt: Instant | null;
  readonly ttl: Duration | null;
}

export interface Claimer {
  /**
   * Transfers one ready prebuild of the preset to the user and returns its workspace id. Rejects
   * with NoClaimablePrebuiltWorkspacesError when none is claimable, with
   * AGPLDoesNotSupportPrebuiltWorkspacesError on AGPL, or with the wrapped database error.
   */
  claim(store: Store, request: ClaimRequest): Promise<string>;
  /** Who initiates prebuild builds: the prebuilds system user. */
  initiator(): string;
}

export class EnterpriseClaimer implements Claimer {
  async claim(store: Store, request: ClaimRequest): Promise<string> {
    let claimed: Awaited<ReturnType<Store["claimPrebuiltWorkspace"]>>;
    try {
      claimed = await store.claimPrebuiltWorkspace({
        newUserId: request.userId,
        newName: request.name,
        now: request.now,
        presetId: request.presetId,
        autostartSchedule: request.autostartSchedule,
        nextStartAt: request.nextStartAt,
        workspaceTtl: request.ttl,
      });
    } catch (err) {
      throw wrapError(`claim prebuild for preset ${request.presetId}`, err);
    }
    if (claimed === null) throw new NoClaimablePrebuiltWorkspacesError(request.presetId);
    return claimed.id;
  }

  initiator(): string {
    return PREBUILDS_SYSTEM_USER_ID;
  }
}

export class AGPLClaimer implements Claimer {
  async claim(): Promise<string> {
    throw new AGPLDoesNotSupportPrebuiltWorkspacesError();
  }

  initiator(): string {
    return PREBUILDS_SYSTEM_USER_ID;
  }
}
