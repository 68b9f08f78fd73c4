// An off-by-one in the backoff window: one interval more than the failures counted, so a preset
// that failed once waits two intervals.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/presetSnapshot.ts",
  find: "const backoffUntil = this.backoff.lastBuildAt + this.backoff.numFailed * backoffInterval;",
  replace: "const backoffUntil = this.backoff.lastBuildAt + (this.backoff.numFailed + 1) * backoffInterval;",
  description: "the backoff window is one interval longer than failures × interval",
  area: "state machine",
} satisfies Mutant;
