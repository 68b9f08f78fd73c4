// A unit slip: invalidate_after_secs read as minutes, so prebuilds expire sixty times too late.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/expiry.ts",
  find: "now - prebuild.createdAt > policy.ttl * SECOND",
  replace: "now - prebuild.createdAt > policy.ttl * 60 * SECOND",
  description: "the preset TTL (seconds) is taken as minutes: expired prebuilds are kept",
  area: "expiry",
} satisfies Mutant;
