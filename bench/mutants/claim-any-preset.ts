// The claim query matches the template instead of the preset: a person asking for one preset
// gets a prebuild of another.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/db/queries/claim.ts",
  find: "AND p.current_preset_id = $4::uuid",
  replace: "AND ($4::uuid IS NOT NULL OR p.current_preset_id = $4::uuid)",
  description: "a claim takes a ready prebuild of any preset of the template",
  area: "claim path",
} satisfies Mutant;
