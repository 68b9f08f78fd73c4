// The membership reconciler (spec §8): every combination of pre-existing organization
// membership × pre-existing prebuilds group × pre-existing group membership, for a target
// organization whose preset has no prebuild configuration, one whose preset desires 0, and an
// unrelated organization where everything already exists.
import { describe, expect, test } from "vitest";
import { PREBUILDS_GROUP_NAME, PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import { PREBUILDS_GROUP_DISPLAY_NAME } from "../../src/prebuilds/constants.ts";
import { StoreMembershipReconciler } from "../../src/prebuilds/membership.ts";
import { type DbContext, T0, useDatabase } from "./harness.ts";

const ctx = useDatabase();

interface Combination {
  orgMembership: boolean;
  group: boolean;
  groupMembership: boolean;
}

const combinations: Combination[] = [];
for (const orgMembership of [false, true]) {
  for (const group of [false, true]) {
    for (const groupMembership of [false, true]) combinations.push({ orgMembership, group, groupMembership });
  }
}

function label(c: Combination): string {
  return `org member: ${c.orgMembership}, group: ${c.group}, group member: ${c.groupMembership}`;
}

/** An organization with one template whose preset desires `desired`. */
async function orgWithPreset(c: DbContext, name: string, desired: number | null) {
  const org = await c.fx.organization({ name });
  const { version } = await c.fx.template({ organizationId: org.id, name: `${name}-template` });
  await c.fx.preset({ templateVersionId: version.id, desiredInstances: desired });
  return org;
}

async function addPrebuildsGroup(c: DbContext, organizationId: string): Promise<string> {
  const group = await c.store.insertGroup({
    id: c.fx.id(),
    name: PREBUILDS_GROUP_NAME,
    displayName: PREBUILDS_GROUP_DISPLAY_NAME,
    organizationId,
    avatarUrl: "",
    quotaAllowance: 0,
  });
  return group.id;
}

async function arrange(c: DbContext, organizationId: string, combination: Combination): Promise<void> {
  if (combination.orgMembership) {
    await c.store.insertOrganizationMember({
      organizationId,
      userId: PREBUILDS_SYSTEM_USER_ID,
      createdAt: T0,
      updatedAt: T0,
    });
  }
  if (combination.group) {
    const groupId = await addPrebuildsGroup(c, organizationId);
    if (combination.groupMembership) {
      await c.store.insertGroupMember({ groupId, userId: PREBUILDS_SYSTEM_USER_ID });
    }
  }
}

async function membershipCount(c: DbContext, organizationId: string): Promise<number> {
  const rows = await c.db.driver.query(
    "SELECT count(*)::int AS n FROM organization_members WHERE organization_id = $1 AND user_id = $2",
    [organizationId, PREBUILDS_SYSTEM_USER_ID],
  );
  return rows[0]?.n as number;
}

async function prebuildsGroups(c: DbContext, organizationId: string) {
  const groups = await c.db.driver.query(
    "SELECT id, display_name, quota_allowance FROM groups WHERE organization_id = $1 AND name = $2",
    [organizationId, PREBUILDS_GROUP_NAME],
  );
  const result: { displayName: string; quota: number; members: string[] }[] = [];
  for (const g of groups) {
    const members = await c.db.driver.query(
      "SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id",
      [g.id],
    );
    result.push({
      displayName: g.display_name as string,
      quota: g.quota_allowance as number,
      members: members.map((m) => m.user_id as string),
    });
  }
  return result;
}

async function reconcile(c: DbContext): Promise<void> {
  await new StoreMembershipReconciler(c.store, c.clock, c.ids).reconcileAll(
    PREBUILDS_SYSTEM_USER_ID,
    PREBUILDS_GROUP_NAME,
  );
}

/** The unrelated organization: has prebuilds, the prebuilds user and its group are all in place. */
async function unrelatedOrg(c: DbContext) {
  const org = await orgWithPreset(c, "unrelated", 1);
  await arrange(c, org.id, { orgMembership: true, group: true, groupMembership: true });
  return org;
}

describe("target organization's preset has no prebuild configuration (desired NULL)", () => {
  test.each(combinations.map((combination) => ({ name: label(combination), combination })))(
    "$name: nothing changes",
    async ({ combination }) => {
      const c = ctx();
      const unrelated = await unrelatedOrg(c);
      const target = await orgWithPreset(c, "target", null);
      await arrange(c, target.id, combination);

      await reconcile(c);

      expect(await membershipCount(c, target.id)).toBe(combination.orgMembership ? 1 : 0);
      const groups = await prebuildsGroups(c, target.id);
      expect(groups).toHaveLength(combination.group ? 1 : 0);
      if (combination.group) {
        expect(groups[0]?.members).toEqual(combination.groupMembership ? [PREBUILDS_SYSTEM_USER_ID] : []);
      }
      expect(await membershipCount(c, unrelated.id)).toBe(1);
    },
  );
});

describe("target organization's preset desires 0 (configured)", () => {
  test.each(combinations.map((combination) => ({ name: label(combination), combination })))(
    "$name: member of the organization and the only member of its prebuilds group",
    async ({ combination }) => {
      const c = ctx();
      const unrelated = await unrelatedOrg(c);
      const target = await orgWithPreset(c, "target", 0);
      await arrange(c, target.id, combination);

      await reconcile(c);
      // Idempotent: a second pass changes nothing and fails nowhere.
      await reconcile(c);

      expect(await membershipCount(c, target.id)).toBe(1);
      expect(await prebuildsGroups(c, target.id)).toEqual([
        { displayName: PREBUILDS_GROUP_DISPLAY_NAME, quota: 0, members: [PREBUILDS_SYSTEM_USER_ID] },
      ]);
      expect(await membershipCount(c, unrelated.id)).toBe(1);
    },
  );
});

describe("unrelated organization", () => {
  test.each(combinations.map((combination) => ({ name: label(combination), combination })))(
    "$name (in the target org): the unrelated org keeps exactly its one membership and group",
    async ({ combination }) => {
      const c = ctx();
      const unrelated = await unrelatedOrg(c);
      const target = await orgWithPreset(c, "target", 0);
      await arrange(c, target.id, combination);

      await reconcile(c);

      expect(await membershipCount(c, unrelated.id)).toBe(1);
      expect(await prebuildsGroups(c, unrelated.id)).toEqual([
        { displayName: PREBUILDS_GROUP_DISPLAY_NAME, quota: 0, members: [PREBUILDS_SYSTEM_USER_ID] },
      ]);
    },
  );
});

describe("failures", () => {
  test("a failure to list the organizations aborts with the query's error", async () => {
    const c = ctx();
    await orgWithPreset(c, "target", 1);
    c.db.faults.add({ query: "GetOrganizationsWithPrebuildStatus", probability: 1, from: T0, until: T0 + 1 });
    await expect(reconcile(c)).rejects.toThrow(
      /determine prebuild organization membership: .*injected fault/,
    );
  });

  test("a failing organization does not stop the others; every failure is reported", async () => {
    const c = ctx();
    const a = await orgWithPreset(c, "a", 1);
    const b = await orgWithPreset(c, "b", 1);
    c.db.faults.add({ query: "InsertGroup", probability: 1, from: T0, until: T0 + 1 });
    await expect(reconcile(c)).rejects.toThrow(/2 errors occurred.*organization a.*organization b/);
    // Both memberships were inserted before their group insert failed.
    expect(await membershipCount(c, a.id)).toBe(1);
    expect(await membershipCount(c, b.id)).toBe(1);
  });
});
