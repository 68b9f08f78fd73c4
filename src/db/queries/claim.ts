// Claiming a prebuild (spec §2.10) and inferring the preset of a request (spec §2.11).
import { PREBUILDS_SYSTEM_USER_ID } from "../constants.ts";
import type { ClaimedWorkspaceRow } from "../rows.ts";
import type { ClaimPrebuiltWorkspaceParams, FindMatchingPresetIdParams } from "../store.ts";
import { at, defineQuery, text, textOrNull } from "./sql.ts";

/**
 * §2.10. Candidate: a live prebuild whose latest build is a succeeded start on the template's
 * active version, whose current preset is the requested one, ready, template not deleted.
 * Following spec §10.1.3 the row lock is taken on the base `workspaces` row (upstream asks for it
 * on the view, where it does not propagate), skipping rows another transaction holds. Upstream
 * takes an arbitrary candidate; here "arbitrary" is the lowest workspace id, so runs replay.
 * The preset TTL and invalidation are not checked (spec §10.1.4: expired prebuilds are claimable).
 */
export const claimPrebuiltWorkspace = defineQuery(
  "ClaimPrebuiltWorkspace",
  async (q, p: ClaimPrebuiltWorkspaceParams): Promise<ClaimedWorkspaceRow | null> => {
    const rows = await q.query(
      `UPDATE workspaces w
       SET owner_id = $1::uuid, name = $2, updated_at = ${at(3)}, last_used_at = ${at(3)},
           autostart_schedule = $5, next_start_at = ${at(6)}, ttl = $7::bigint,
           dormant_at = NULL, deleting_at = NULL
       WHERE w.id = (
         SELECT base.id
         FROM workspace_prebuilds p
         JOIN workspaces base ON base.id = p.id
         JOIN workspace_latest_builds b ON b.workspace_id = p.id
         JOIN templates t ON t.id = p.template_id
         WHERE base.owner_id = '${PREBUILDS_SYSTEM_USER_ID}'::uuid
           AND base.deleted = false
           AND b.transition = 'start'
           AND b.job_status = 'succeeded'
           AND b.template_version_id = t.active_version_id
           AND p.current_preset_id = $4::uuid
           AND p.ready
           AND t.deleted = false
         ORDER BY base.id
         LIMIT 1
         FOR UPDATE OF base SKIP LOCKED
       )
       RETURNING w.id, w.name`,
      [p.newUserId, p.newName, p.now, p.presetId, p.autostartSchedule, p.nextStartAt, p.workspaceTtl],
    );
    const r = rows[0];
    return r === undefined ? null : { id: text(r.id, "id"), name: text(r.name, "name") };
  },
);

/**
 * §2.11. A preset matches when every one of its parameters appears among the provided
 * (name, value) pairs; extra provided pairs are fine. The match with the most parameters wins
 * (a preset without parameters always matches, with the lowest priority); ties, arbitrary
 * upstream, go to the lowest preset id here.
 */
export const findMatchingPresetId = defineQuery(
  "FindMatchingPresetID",
  async (q, p: FindMatchingPresetIdParams): Promise<string | null> => {
    if (p.parameterNames.length !== p.parameterValues.length) {
      throw new RangeError(
        `FindMatchingPresetID for template version ${p.templateVersionId}: parameter names and values must have the same length (${p.parameterNames.length} names, ${p.parameterValues.length} values)`,
      );
    }
    const rows = await q.query(
      `WITH provided AS (
         SELECT DISTINCT name, value FROM unnest($2::text[], $3::text[]) AS u(name, value)
       ),
       preset_matches AS (
         SELECT tvp.id AS preset_id,
                count(tvpp.id) AS total,
                count(provided.name) AS matching
         FROM template_version_presets tvp
         LEFT JOIN template_version_preset_parameters tvpp ON tvpp.template_version_preset_id = tvp.id
         LEFT JOIN provided ON provided.name = tvpp.name AND provided.value = tvpp.value
         WHERE tvp.template_version_id = $1::uuid
         GROUP BY tvp.id
       )
       SELECT preset_id FROM preset_matches
       WHERE total = matching
       ORDER BY total DESC, preset_id
       LIMIT 1`,
      [p.templateVersionId, p.parameterNames, p.parameterValues],
    );
    const r = rows[0];
    return r === undefined ? null : textOrNull(r.preset_id, "preset_id");
  },
);
