// The TTL comparison the wrong way round: young prebuilds count as expired, old ones as fresh.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/expiry.ts",
  find: "now - prebuild.createdAt > policy.ttl * SECOND",
  replace: "now - prebuild.createdAt < policy.ttl * SECOND",
  description: "TTL compare inverted: prebuilds younger than the TTL are treated as expired",
  area: "expiry",
} satisfies Mutant;
