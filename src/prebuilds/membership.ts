// The membership reconciler (spec §8): the prebuilds system user must be a member of every
// organization that has prebuild presets (a workspace owner must belong to its organization), and
// of that organization's prebuilds group (quota is charged through group allowances). Runs on every
// non-paused cycle before the snapshot, on the main store, each insert on its own; nothing is ever
// removed.
import type { Clock } from "../clock/types.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { OrganizationPrebuildStatusRow } from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { PREBUILDS_GROUP_DISPLAY_NAME } from "./constants.ts";
import { joinErrors, wrapError } from "./errors.ts";

/** Upstream's nil UUID: what a group id is after a lost race to create the group (spec §8 2b). */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export class StoreMembershipReconciler {
  constructor(
    private readonly store: Store,
    private readonly clock: Pick<Clock, "now">,
    private readonly ids: RandomStream,
  ) {}

  /**
   * Makes `userId` a member of every organization with prebuild presets and of its `groupName`
   * group, creating the group when missing. A failing organization does not stop the others; all
   * failures are returned together. A failure to list the organizations aborts at once.
   */
  async reconcileAll(userId: string, groupName: string): Promise<void> {
    let organizations: OrganizationPrebuildStatusRow[];
    try {
      organizations = await this.store.getOrganizationsWithPrebuildStatus({ userId, groupName });
    } catch (err) {
      throw wrapError("determine prebuild organization membership", err);
    }

    const errors: Error[] = [];
    for (const org of organizations) {
      const failure = await this.#reconcileOrganization(org, userId, groupName);
      if (failure !== null) errors.push(failure);
    }
    const joined = joinErrors(errors, "reconcile prebuilds membership");
    if (joined !== null) throw joined;
  }

  /** Returns the first error for this organization (the rest of it is skipped), or null. */
  async #reconcileOrganization(
    org: OrganizationPrebuildStatusRow,
    userId: string,
    groupName: string,
  ): Promise<Error | null> {
    if (!org.hasPrebuildUser) {
      const now = this.clock.now();
      try {
        await this.store.insertOrganizationMember({
          organizationId: org.organizationId,
          userId,
          roles: [],
          createdAt: now,
          updatedAt: now,
        });
      } catch (err) {
        // Another replica added it first: the goal is reached.
        if (!isUniqueViolation(err)) {
          return wrapError(`insert prebuild user into organization ${org.organizationName}`, err);
        }
      }
    }

    let groupId = org.prebuildsGroupId;
    if (groupId === null) {
      try {
        const group = await this.store.insertGroup({
          id: this.ids.uuid(),
          name: groupName,
          displayName: PREBUILDS_GROUP_DISPLAY_NAME,
          organizationId: org.organizationId,
          avatarUrl: "",
          quotaAllowance: 0,
        });
        groupId = group.id;
      } catch (err) {
        if (!isUniqueViolation(err)) {
          return wrapError(`create prebuilds group in organization ${org.organizationName}`, err);
        }
        // Upstream continues with the empty group it got back; the membership insert below then
        // fails this cycle and the next cycle, which sees the group, heals it.
        groupId = NIL_UUID;
      }
    }

    if (!org.hasPrebuildUserInGroup) {
      try {
        await this.store.insertGroupMember({ groupId, userId });
      } catch (err) {
        if (!isUniqueViolation(err)) {
          return wrapError(`add prebuild user to group in organization ${org.organizationName}`, err);
        }
      }
    }
    return null;
  }
}
