// "Delete the oldest extraneous prebuilds first" with the comparator the wrong way round: the
// newest (least likely to be stale) are deleted and the oldest linger.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/presetSnapshot.ts",
  find: "this.running.sort((a, b) => a.createdAt - b.createdAt);",
  replace: "this.running.sort((a, b) => b.createdAt - a.createdAt);",
  description: "extraneous prebuilds are deleted newest first instead of oldest first",
  area: "state machine",
} satisfies Mutant;
