// CountInProgressPrebuilds counts only queued jobs: builds a provisioner is running are neither
// running nor starting, so the reconciler creates them again.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/db/queries/prebuilds.ts",
  find: "WHERE pj.job_status IN ('pending', 'running')",
  replace: "WHERE pj.job_status IN ('pending')",
  description: "builds a provisioner is running are not counted as in progress",
  area: "sql",
} satisfies Mutant;
