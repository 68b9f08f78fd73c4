// The hard limit counts every failed latest build of the preset, not only the most recent
// `failureHardLimit` ones: old failures keep a preset that recovered hard-limited.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/db/queries/prebuilds.ts",
  find: "WHERE r.rn <= $1::bigint AND r.job_status = 'failed'\n       GROUP BY r.template_version_id, r.preset_id\n       HAVING count(*) = $1::bigint",
  replace:
    "WHERE r.job_status = 'failed'\n       GROUP BY r.template_version_id, r.preset_id\n       HAVING count(*) >= $1::bigint",
  description: "the hard limit counts all failed builds instead of the most recent ones",
  area: "sql",
} satisfies Mutant;
