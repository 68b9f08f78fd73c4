// Templates, their versions and the versions' rich parameters: fixtures and the operator actions
// of a scenario (promote, deprecate, soft-delete).
import type { Instant } from "../../clock/types.ts";
import type { RawRow } from "../driver.ts";
import type { TemplateRow, TemplateVersionParameterRow, TemplateVersionRow } from "../rows.ts";
import type {
  InsertTemplateParams,
  InsertTemplateVersionParameterParams,
  InsertTemplateVersionParams,
} from "../store.ts";
import { at, bool, defineQuery, first, instant, int, text, textOrNull } from "./sql.ts";

const TEMPLATE_COLUMNS =
  "id, organization_id, name, provisioner, active_version_id, deprecated, deleted, created_by, created_at, updated_at";

function mapTemplate(r: RawRow): TemplateRow {
  return {
    id: text(r.id, "id"),
    organizationId: text(r.organization_id, "organization_id"),
    name: text(r.name, "name"),
    provisioner: text(r.provisioner, "provisioner"),
    activeVersionId: text(r.active_version_id, "active_version_id"),
    deprecated: text(r.deprecated, "deprecated"),
    deleted: bool(r.deleted, "deleted"),
    createdBy: text(r.created_by, "created_by"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

const VERSION_COLUMNS = "id, template_id, organization_id, name, job_id, created_by, created_at, updated_at";

function mapVersion(r: RawRow): TemplateVersionRow {
  return {
    id: text(r.id, "id"),
    templateId: textOrNull(r.template_id, "template_id"),
    organizationId: text(r.organization_id, "organization_id"),
    name: text(r.name, "name"),
    jobId: textOrNull(r.job_id, "job_id"),
    createdBy: text(r.created_by, "created_by"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

const PARAMETER_COLUMNS =
  "template_version_id, name, description, type, mutable, default_value, required, display_order";

function mapParameter(r: RawRow): TemplateVersionParameterRow {
  return {
    templateVersionId: text(r.template_version_id, "template_version_id"),
    name: text(r.name, "name"),
    description: text(r.description, "description"),
    type: text(r.type, "type"),
    mutable: bool(r.mutable, "mutable"),
    defaultValue: text(r.default_value, "default_value"),
    required: bool(r.required, "required"),
    displayOrder: int(r.display_order, "display_order"),
  };
}

export const insertTemplate = defineQuery(
  "InsertTemplate",
  async (q, p: InsertTemplateParams): Promise<TemplateRow> => {
    const rows = await q.query(
      `INSERT INTO templates (id, organization_id, name, provisioner, active_version_id, created_by, created_at, updated_at)
     VALUES ($1::uuid, $2::uuid, $3, $4, $5::uuid, $6::uuid, ${at(7)}, ${at(7)})
     RETURNING ${TEMPLATE_COLUMNS}`,
      [
        p.id,
        p.organizationId,
        p.name,
        p.provisioner ?? "terraform",
        p.activeVersionId,
        p.createdBy,
        p.createdAt,
      ],
    );
    return mapTemplate(rows[0] as RawRow);
  },
);

export const getTemplateById = defineQuery(
  "GetTemplateByID",
  async (q, id: string): Promise<TemplateRow | undefined> => {
    const r = first(await q.query(`SELECT ${TEMPLATE_COLUMNS} FROM templates WHERE id = $1::uuid`, [id]));
    return r && mapTemplate(r);
  },
);

/** The live (not soft-deleted) template of that name in the organization. */
export const getTemplateByOrganizationAndName = defineQuery(
  "GetTemplateByOrganizationAndName",
  async (q, p: { organizationId: string; name: string }): Promise<TemplateRow | undefined> => {
    const r = first(
      await q.query(
        `SELECT ${TEMPLATE_COLUMNS} FROM templates
         WHERE organization_id = $1::uuid AND lower(name) = lower($2) AND deleted = false`,
        [p.organizationId, p.name],
      ),
    );
    return r && mapTemplate(r);
  },
);

export const updateTemplateActiveVersionById = defineQuery(
  "UpdateTemplateActiveVersionByID",
  async (q, p: { id: string; activeVersionId: string; updatedAt: Instant }): Promise<void> => {
    await q.query(
      `UPDATE templates SET active_version_id = $2::uuid, updated_at = ${at(3)} WHERE id = $1::uuid`,
      [p.id, p.activeVersionId, p.updatedAt],
    );
  },
);

export const updateTemplateDeprecatedById = defineQuery(
  "UpdateTemplateDeprecatedByID",
  async (q, p: { id: string; deprecated: string; updatedAt: Instant }): Promise<void> => {
    await q.query(`UPDATE templates SET deprecated = $2, updated_at = ${at(3)} WHERE id = $1::uuid`, [
      p.id,
      p.deprecated,
      p.updatedAt,
    ]);
  },
);

export const updateTemplateDeletedById = defineQuery(
  "UpdateTemplateDeletedByID",
  async (q, p: { id: string; deleted: boolean; updatedAt: Instant }): Promise<void> => {
    await q.query(`UPDATE templates SET deleted = $2, updated_at = ${at(3)} WHERE id = $1::uuid`, [
      p.id,
      p.deleted,
      p.updatedAt,
    ]);
  },
);

export const insertTemplateVersion = defineQuery(
  "InsertTemplateVersion",
  async (q, p: InsertTemplateVersionParams): Promise<TemplateVersionRow> => {
    const rows = await q.query(
      `INSERT INTO template_versions (id, template_id, organization_id, name, job_id, created_by, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6::uuid, ${at(7)}, ${at(7)})
       RETURNING ${VERSION_COLUMNS}`,
      [p.id, p.templateId, p.organizationId, p.name, p.jobId ?? null, p.createdBy, p.createdAt],
    );
    return mapVersion(rows[0] as RawRow);
  },
);

export const getTemplateVersionById = defineQuery(
  "GetTemplateVersionByID",
  async (q, id: string): Promise<TemplateVersionRow | undefined> => {
    const r = first(
      await q.query(`SELECT ${VERSION_COLUMNS} FROM template_versions WHERE id = $1::uuid`, [id]),
    );
    return r && mapVersion(r);
  },
);

export const insertTemplateVersionParameter = defineQuery(
  "InsertTemplateVersionParameter",
  async (q, p: InsertTemplateVersionParameterParams): Promise<TemplateVersionParameterRow> => {
    const rows = await q.query(
      `INSERT INTO template_version_parameters
         (template_version_id, name, description, type, mutable, default_value, required, display_order)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8)
       RETURNING ${PARAMETER_COLUMNS}`,
      [
        p.templateVersionId,
        p.name,
        p.description ?? "",
        p.type ?? "string",
        p.mutable ?? true,
        p.defaultValue ?? "",
        p.required ?? false,
        p.displayOrder ?? 0,
      ],
    );
    return mapParameter(rows[0] as RawRow);
  },
);

/** Ordered by display order, then name. */
export const getTemplateVersionParameters = defineQuery(
  "GetTemplateVersionParameters",
  async (q, templateVersionId: string): Promise<TemplateVersionParameterRow[]> => {
    const rows = await q.query(
      `SELECT ${PARAMETER_COLUMNS} FROM template_version_parameters
       WHERE template_version_id = $1::uuid ORDER BY display_order, name`,
      [templateVersionId],
    );
    return rows.map(mapParameter);
  },
);
