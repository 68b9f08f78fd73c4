// The lock's callback returns before the preset tasks finish (a missing await on the errgroup):
// the lock is released while the cycle still writes, and another replica may start its own.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/reconciler.ts",
  find: "          await group.wait();\n",
  replace: "          void group.wait();\n",
  description: "the reconciliation lock is released before the cycle's preset tasks finish",
  area: "lock handling",
} satisfies Mutant;
