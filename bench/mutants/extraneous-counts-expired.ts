// Expired prebuilds counted as part of the pool when sizing the surplus: the cycle deletes the
// expired ones and, in the same cycle, as many valid ones again.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/presetSnapshot.ts",
  find: "extraneous = Math.max(actual - expired - desired, 0);",
  replace: "extraneous = Math.max(actual - desired, 0);",
  description: "expired prebuilds count towards the surplus, so valid ones are deleted with them",
  area: "state machine",
} satisfies Mutant;
