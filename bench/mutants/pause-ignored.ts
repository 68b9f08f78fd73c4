// The pause setting is read but a refactoring lost the early return: a paused deployment keeps
// building prebuilds.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/reconciler.ts",
  find: "if (settings.reconciliationPaused) {",
  replace: "if (settings.reconciliationPaused && presetsTotal > 0) {",
  description: "the cycle goes on reconciling while reconciliation is paused",
  area: "reconciler cycle",
} satisfies Mutant;
