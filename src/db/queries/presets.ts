// Presets, their parameters and schedules (spec §1.3, §2.14): fixtures, the reconciler's status
// updates, and the operator's invalidate and set-desired actions.
import type { Instant } from "../../clock/types.ts";
import type { RawRow } from "../driver.ts";
import type { PrebuildStatus, PresetParameterRow, PresetPrebuildScheduleRow, PresetRow } from "../rows.ts";
import type {
  InsertPresetParametersParams,
  InsertPresetParams,
  InsertPresetPrebuildScheduleParams,
} from "../store.ts";
import { mapSchedule } from "./prebuilds.ts";
import { at, bool, defineQuery, first, instant, instantOrNull, intOrNull, text } from "./sql.ts";

const PRESET_COLUMNS = `id, template_version_id, name, desired_instances, invalidate_after_secs, prebuild_status,
  scheduling_timezone, last_invalidated_at, is_default, created_at`;

function mapPreset(r: RawRow): PresetRow {
  return {
    id: text(r.id, "id"),
    templateVersionId: text(r.template_version_id, "template_version_id"),
    name: text(r.name, "name"),
    desiredInstances: intOrNull(r.desired_instances, "desired_instances"),
    invalidateAfterSecs: intOrNull(r.invalidate_after_secs, "invalidate_after_secs"),
    prebuildStatus: text(r.prebuild_status, "prebuild_status") as PrebuildStatus,
    schedulingTimezone: text(r.scheduling_timezone, "scheduling_timezone"),
    lastInvalidatedAt: instantOrNull(r.last_invalidated_at, "last_invalidated_at"),
    isDefault: bool(r.is_default, "is_default"),
    createdAt: instant(r.created_at, "created_at"),
  };
}

function mapPresetParameter(r: RawRow): PresetParameterRow {
  return {
    id: text(r.id, "id"),
    templateVersionPresetId: text(r.template_version_preset_id, "template_version_preset_id"),
    name: text(r.name, "name"),
    value: text(r.value, "value"),
  };
}

export const insertPreset = defineQuery(
  "InsertPreset",
  async (q, p: InsertPresetParams): Promise<PresetRow> => {
    const rows = await q.query(
      `INSERT INTO template_version_presets
       (id, template_version_id, name, desired_instances, invalidate_after_secs, scheduling_timezone, is_default, created_at)
     VALUES ($1::uuid, $2::uuid, $3, $4::int, $5::int, $6, $7, ${at(8)})
     RETURNING ${PRESET_COLUMNS}`,
      [
        p.id,
        p.templateVersionId,
        p.name,
        p.desiredInstances,
        p.invalidateAfterSecs ?? null,
        p.schedulingTimezone ?? "",
        p.isDefault ?? false,
        p.createdAt,
      ],
    );
    return mapPreset(rows[0] as RawRow);
  },
);

export const getPresetById = defineQuery(
  "GetPresetByID",
  async (q, id: string): Promise<PresetRow | undefined> => {
    const r = first(
      await q.query(`SELECT ${PRESET_COLUMNS} FROM template_version_presets WHERE id = $1::uuid`, [id]),
    );
    return r && mapPreset(r);
  },
);

/** Ordered by name, then id. */
export const getPresetsByTemplateVersionId = defineQuery(
  "GetPresetsByTemplateVersionID",
  async (q, templateVersionId: string): Promise<PresetRow[]> => {
    const rows = await q.query(
      `SELECT ${PRESET_COLUMNS} FROM template_version_presets WHERE template_version_id = $1::uuid ORDER BY name, id`,
      [templateVersionId],
    );
    return rows.map(mapPreset);
  },
);

/** Inserts the parameters in the order given; returns them in that order. */
export const insertPresetParameters = defineQuery(
  "InsertPresetParameters",
  async (q, p: InsertPresetParametersParams): Promise<PresetParameterRow[]> => {
    if (p.ids.length !== p.names.length || p.names.length !== p.values.length) {
      throw new RangeError(
        `InsertPresetParameters for preset ${p.templateVersionPresetId}: ids, names and values must have the same length (${p.ids.length}, ${p.names.length}, ${p.values.length})`,
      );
    }
    const rows = await q.query(
      `INSERT INTO template_version_preset_parameters (id, template_version_preset_id, name, value)
       SELECT u.id, $2::uuid, u.name, u.value
       FROM unnest($1::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS u(id, name, value, ord)
       ORDER BY u.ord
       RETURNING id, template_version_preset_id, name, value`,
      [p.ids, p.templateVersionPresetId, p.names, p.values],
    );
    const byId = new Map(rows.map((r) => [text(r.id, "id"), mapPresetParameter(r)]));
    return p.ids.map((id) => byId.get(id) as PresetParameterRow);
  },
);

/** All parameters of all presets of the version, ordered by preset, then name. */
export const getPresetParametersByTemplateVersionId = defineQuery(
  "GetPresetParametersByTemplateVersionID",
  async (q, templateVersionId: string): Promise<PresetParameterRow[]> => {
    const rows = await q.query(
      `SELECT tvpp.id, tvpp.template_version_preset_id, tvpp.name, tvpp.value
       FROM template_version_preset_parameters tvpp
       JOIN template_version_presets tvp ON tvp.id = tvpp.template_version_preset_id
       WHERE tvp.template_version_id = $1::uuid
       ORDER BY tvpp.template_version_preset_id, tvpp.name`,
      [templateVersionId],
    );
    return rows.map(mapPresetParameter);
  },
);

export const insertPresetPrebuildSchedule = defineQuery(
  "InsertPresetPrebuildSchedule",
  async (q, p: InsertPresetPrebuildScheduleParams): Promise<PresetPrebuildScheduleRow> => {
    const rows = await q.query(
      `INSERT INTO template_version_preset_prebuild_schedules (id, preset_id, cron_expression, desired_instances)
       VALUES ($1::uuid, $2::uuid, $3, $4)
       RETURNING id, preset_id, cron_expression, desired_instances`,
      [p.id, p.presetId, p.cronExpression, p.desiredInstances],
    );
    return mapSchedule(rows[0] as RawRow);
  },
);

export const updatePresetPrebuildStatus = defineQuery(
  "UpdatePresetPrebuildStatus",
  async (q, p: { presetId: string; status: PrebuildStatus }): Promise<void> => {
    await q.query(
      "UPDATE template_version_presets SET prebuild_status = $2::prebuild_status WHERE id = $1::uuid",
      [p.presetId, p.status],
    );
  },
);

/**
 * Every preset of the template's ACTIVE version (prebuild configuration or not) gets
 * `last_invalidated_at`; returns those presets ordered by name.
 */
export const updatePresetsLastInvalidatedAt = defineQuery(
  "UpdatePresetsLastInvalidatedAt",
  async (q, p: { templateId: string; lastInvalidatedAt: Instant }): Promise<PresetRow[]> => {
    const rows = await q.query(
      `WITH updated AS (
         UPDATE template_version_presets tvp
         SET last_invalidated_at = ${at(2)}
         FROM templates t
         WHERE t.id = $1::uuid AND tvp.template_version_id = t.active_version_id
         RETURNING tvp.*
       )
       SELECT ${PRESET_COLUMNS} FROM updated ORDER BY name, id`,
      [p.templateId, p.lastInvalidatedAt],
    );
    return rows.map(mapPreset);
  },
);

export const updatePresetDesiredInstancesById = defineQuery(
  "UpdatePresetDesiredInstancesByID",
  async (q, p: { id: string; desiredInstances: number | null }): Promise<void> => {
    await q.query("UPDATE template_version_presets SET desired_instances = $2::int WHERE id = $1::uuid", [
      p.id,
      p.desiredInstances,
    ]);
  },
);
