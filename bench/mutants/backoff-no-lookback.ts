// The backoff lookback is not applied: failures from long ago keep lengthening the backoff.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/db/queries/prebuilds.ts",
  find: ".filter((r) => r.createdAt >= lookback);",
  replace: ".filter((r) => r.createdAt >= 0 || r.createdAt >= lookback);",
  description: "backoff counts failures older than the lookback window",
  area: "sql",
} satisfies Mutant;
