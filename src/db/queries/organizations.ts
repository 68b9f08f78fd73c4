// Users, organizations, memberships and groups: what the membership reconciler (spec §8, §2.12)
// and resource-replacement notifications (spec §7.1) read and write.
import type { RawRow } from "../driver.ts";
import type {
  GroupMemberRow,
  GroupRow,
  LoginType,
  OrganizationMemberRow,
  OrganizationPrebuildStatusRow,
  OrganizationRow,
  UserRow,
  UserStatus,
} from "../rows.ts";
import type {
  InsertGroupParams,
  InsertOrganizationMemberParams,
  InsertOrganizationParams,
  InsertUserParams,
} from "../store.ts";
import { at, bool, defineQuery, first, instant, int, text, textArray, textOrNull } from "./sql.ts";

const ORGANIZATION_COLUMNS = "id, name, display_name, is_default, created_at, updated_at";

function mapOrganization(r: RawRow): OrganizationRow {
  return {
    id: text(r.id, "id"),
    name: text(r.name, "name"),
    displayName: text(r.display_name, "display_name"),
    isDefault: bool(r.is_default, "is_default"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

const USER_COLUMNS =
  "id, email, username, name, rbac_roles, status, login_type, is_system, deleted, created_at, updated_at";

function mapUser(r: RawRow): UserRow {
  return {
    id: text(r.id, "id"),
    email: text(r.email, "email"),
    username: text(r.username, "username"),
    name: text(r.name, "name"),
    rbacRoles: textArray(r.rbac_roles, "rbac_roles"),
    status: text(r.status, "status") as UserStatus,
    loginType: text(r.login_type, "login_type") as LoginType,
    isSystem: bool(r.is_system, "is_system"),
    deleted: bool(r.deleted, "deleted"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

export const insertOrganization = defineQuery(
  "InsertOrganization",
  async (q, p: InsertOrganizationParams): Promise<OrganizationRow> => {
    const rows = await q.query(
      `INSERT INTO organizations (id, name, display_name, is_default, created_at, updated_at)
       VALUES ($1::uuid, $2, $3, $4, ${at(5)}, ${at(5)})
       RETURNING ${ORGANIZATION_COLUMNS}`,
      [p.id, p.name, p.displayName ?? p.name, p.isDefault ?? false, p.createdAt],
    );
    return mapOrganization(rows[0] as RawRow);
  },
);

export const getOrganizationById = defineQuery(
  "GetOrganizationByID",
  async (q, id: string): Promise<OrganizationRow | undefined> => {
    const r = first(
      await q.query(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1::uuid`, [id]),
    );
    return r && mapOrganization(r);
  },
);

export const insertUser = defineQuery("InsertUser", async (q, p: InsertUserParams): Promise<UserRow> => {
  const rows = await q.query(
    `INSERT INTO users (id, email, username, name, rbac_roles, status, login_type, is_system, created_at, updated_at)
     VALUES ($1::uuid, $2, $3, $4, $5::text[], $6::user_status, $7::login_type, $8, ${at(9)}, ${at(9)})
     RETURNING ${USER_COLUMNS}`,
    [
      p.id,
      p.email,
      p.username,
      p.name ?? "",
      p.rbacRoles ?? [],
      p.status ?? "active",
      p.loginType ?? "password",
      p.isSystem ?? false,
      p.createdAt,
    ],
  );
  return mapUser(rows[0] as RawRow);
});

export const getUserById = defineQuery("GetUserByID", async (q, id: string): Promise<UserRow | undefined> => {
  const r = first(await q.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1::uuid`, [id]));
  return r && mapUser(r);
});

/** Non-deleted users, optionally only those with a site role; ordered by username. */
export const getUsers = defineQuery(
  "GetUsers",
  async (q, p: { rbacRole: string | null }): Promise<UserRow[]> => {
    const rows = await q.query(
      `SELECT ${USER_COLUMNS} FROM users
     WHERE deleted = false AND ($1::text IS NULL OR $1::text = ANY (rbac_roles))
     ORDER BY lower(username), id`,
      [p.rbacRole],
    );
    return rows.map(mapUser);
  },
);

export const insertOrganizationMember = defineQuery(
  "InsertOrganizationMember",
  async (q, p: InsertOrganizationMemberParams): Promise<OrganizationMemberRow> => {
    const rows = await q.query(
      `INSERT INTO organization_members (organization_id, user_id, roles, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::text[], ${at(4)}, ${at(5)})
       RETURNING organization_id, user_id, roles, created_at, updated_at`,
      [p.organizationId, p.userId, p.roles ?? [], p.createdAt, p.updatedAt],
    );
    const r = rows[0] as RawRow;
    return {
      organizationId: text(r.organization_id, "organization_id"),
      userId: text(r.user_id, "user_id"),
      roles: textArray(r.roles, "roles"),
      createdAt: instant(r.created_at, "created_at"),
      updatedAt: instant(r.updated_at, "updated_at"),
    };
  },
);

export const insertGroup = defineQuery("InsertGroup", async (q, p: InsertGroupParams): Promise<GroupRow> => {
  const rows = await q.query(
    `INSERT INTO groups (id, name, display_name, organization_id, avatar_url, quota_allowance)
     VALUES ($1::uuid, $2, $3, $4::uuid, $5, $6)
     RETURNING id, name, display_name, organization_id, avatar_url, quota_allowance`,
    [p.id, p.name, p.displayName, p.organizationId, p.avatarUrl, p.quotaAllowance],
  );
  const r = rows[0] as RawRow;
  return {
    id: text(r.id, "id"),
    name: text(r.name, "name"),
    displayName: text(r.display_name, "display_name"),
    organizationId: text(r.organization_id, "organization_id"),
    avatarUrl: text(r.avatar_url, "avatar_url"),
    quotaAllowance: int(r.quota_allowance, "quota_allowance"),
  };
});

export const insertGroupMember = defineQuery(
  "InsertGroupMember",
  async (q, p: GroupMemberRow): Promise<void> => {
    await q.query("INSERT INTO group_members (group_id, user_id) VALUES ($1::uuid, $2::uuid)", [
      p.groupId,
      p.userId,
    ]);
  },
);

/**
 * §2.12. Organizations owning a template with ANY version (deleted templates included) that has
 * a preset with a prebuild configuration, with the user's membership, the org's group of that
 * name and the user's membership in it. Ordered by organization name.
 */
export const getOrganizationsWithPrebuildStatus = defineQuery(
  "GetOrganizationsWithPrebuildStatus",
  async (q, p: { userId: string; groupName: string }): Promise<OrganizationPrebuildStatusRow[]> => {
    const rows = await q.query(
      `WITH orgs_with_prebuilds AS (
         SELECT DISTINCT o.id, o.name
         FROM organizations o
         JOIN templates t ON t.organization_id = o.id
         JOIN template_versions tv ON tv.template_id = t.id
         JOIN template_version_presets tvp ON tvp.template_version_id = tv.id
         WHERE tvp.desired_instances IS NOT NULL
       )
       SELECT o.id AS organization_id, o.name AS organization_name,
              om.user_id IS NOT NULL AS has_prebuild_user,
              g.id AS prebuilds_group_id,
              gm.user_id IS NOT NULL AS has_prebuild_user_in_group
       FROM orgs_with_prebuilds o
       LEFT JOIN organization_members om ON om.organization_id = o.id AND om.user_id = $1::uuid
       LEFT JOIN groups g ON g.organization_id = o.id AND g.name = $2
       LEFT JOIN group_members gm ON gm.group_id = g.id AND gm.user_id = $1::uuid
       ORDER BY o.name, o.id`,
      [p.userId, p.groupName],
    );
    return rows.map(
      (r): OrganizationPrebuildStatusRow => ({
        organizationId: text(r.organization_id, "organization_id"),
        organizationName: text(r.organization_name, "organization_name"),
        hasPrebuildUser: bool(r.has_prebuild_user, "has_prebuild_user"),
        prebuildsGroupId: textOrNull(r.prebuilds_group_id, "prebuilds_group_id"),
        hasPrebuildUserInGroup: bool(r.has_prebuild_user_in_group, "has_prebuild_user_in_group"),
      }),
    );
  },
);
