// The claim query lost its readiness filter: people get prebuilds whose agent is still starting.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/db/queries/claim.ts",
  find: "           AND p.ready\n",
  replace: "",
  description: "a claim may take a prebuild whose agent is not ready yet",
  area: "claim path",
} satisfies Mutant;
