// Upstream INC-10: pending creation jobs of a version that is no longer active were left in the
// queue, to be built and then deleted, instead of being canceled.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/presetSnapshot.ts",
  find: "if (this.pendingCount > 0) actions.push(cancelPendingAction());",
  replace: "",
  description: "an inactive preset does not cancel its pending creation jobs",
  area: "state machine",
} satisfies Mutant;
