// The cancellation of an inactive version's pending jobs forgot that a provisioner may have taken
// a job meanwhile: it cancels a job a daemon is already building.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/db/queries/prebuilds.ts",
  find: "  AND pj.job_status = 'pending'\n  AND pj.worker_id IS NULL\n",
  replace: "  AND pj.job_status IN ('pending', 'running')\n",
  description: "canceling an inactive preset's pending jobs also cancels jobs a provisioner is running",
  area: "sql",
} satisfies Mutant;
