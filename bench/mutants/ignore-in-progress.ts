// Upstream's history: the reconciler once created `desired - running` every cycle, forgetting the
// builds already on their way, and over-provisioned for as long as builds ran.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/presetSnapshot.ts",
  find: "const toCreate = Math.max(state.desired - runningValid - state.starting, 0);",
  replace: "const toCreate = Math.max(state.desired - runningValid, 0);",
  description: "creates desired − running each cycle, ignoring prebuilds still starting",
  area: "state machine",
} satisfies Mutant;
