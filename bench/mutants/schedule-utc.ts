// The schedule's time zone is parsed and validated, then ignored: schedules match in UTC.
import type { Mutant } from "../detect/mutant.ts";

export default {
  file: "src/prebuilds/schedule.ts",
  find: "wallClock ??= wallClockAt(at, timeZone);",
  replace: 'wallClock ??= wallClockAt(at, "UTC");',
  description: "prebuild schedules are matched in UTC instead of the preset's time zone",
  area: "schedules",
} satisfies Mutant;
