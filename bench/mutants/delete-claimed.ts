// The delete path trusts the cycle's snapshot: a prebuild claimed since then is deleted from
// under its new owner (upstream re-checks the owner inside the delete transaction).
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/reconciler.ts",
  find: "if (workspace.ownerId !== PREBUILDS_SYSTEM_USER_ID) {",
  replace: "if (workspace.ownerId === null) {",
  description: "deleting a prebuild does not re-check that it is still unclaimed",
  area: "reconciler cycle",
} satisfies Mutant;
