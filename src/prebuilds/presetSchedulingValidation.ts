// What terraform-provider-coder's `coder_workspace_preset` data source refuses in a preset's
// `prebuilds.scheduling` block (`provider/workspace_preset.go`): a template carrying any of these
// fails at `terraform plan`, so Coder never stores it. Checked in this order, as Terraform does:
//  - each attribute's ValidateFunc: the time zone must load (`time.LoadLocation`), each cron must
//    have 5 fields with minute `*` and parse with robfig's standard parser;
//  - `schedule` has `MinItems: 1`;
//  - then, when the data source is read, the schedules together with `ValidateSchedules`.

import { goFields } from "./goText.ts";
import { ScheduleValidationError, validateSchedules } from "./scheduleValidation.ts";
import { parseRobfigSpec, RobfigParseError } from "./timeRangeCron.ts";
import { loadTimeZone } from "./timeZone.ts";

export interface SchedulingProblem {
  /** Below the scheduling block: `["timezone"]`, `["schedules"]` or `["schedules", i, "cron"]`. */
  readonly path: readonly (string | number)[];
  /** The provider's message. */
  readonly message: string;
}

/** The provider's `validatePrebuildsCronSpec`, then its robfig parse; the message it reports, or null. */
export function terraformCronProblem(cron: string): string | null {
  const parts = goFields(cron);
  if (parts.length !== 5) return "cron spec failed validation: cron specification should consist of 5 fields";
  if (parts[0] !== "*") return "cron spec failed validation: minute field should be *";
  try {
    parseRobfigSpec(cron);
  } catch (err) {
    if (!(err instanceof RobfigParseError)) throw err;
    return `failed to parse cron spec: ${err.message}`;
  }
  return null;
}

/** Every problem the provider reports for a scheduling block; empty when Terraform would accept it. */
export function terraformSchedulingProblems(timezone: string, crons: readonly string[]): SchedulingProblem[] {
  const problems: SchedulingProblem[] = [];
  // Go's LoadLocation("") is UTC: an empty zone passes here, and the reconciler then ignores the
  // schedules ("timezone is not set").
  if (timezone !== "") {
    try {
      loadTimeZone(timezone);
    } catch (err) {
      problems.push({
        path: ["timezone"],
        message: `failed to load timezone ${JSON.stringify(timezone)}: ${(err as Error).message}`,
      });
    }
  }
  crons.forEach((cron, i) => {
    const problem = terraformCronProblem(cron);
    if (problem !== null) problems.push({ path: ["schedules", i, "cron"], message: problem });
  });
  if (crons.length === 0) {
    problems.push({ path: ["schedules"], message: 'At least 1 "schedule" blocks are required.' });
  }
  if (problems.length > 0) return problems;
  try {
    validateSchedules(crons);
  } catch (err) {
    if (!(err instanceof ScheduleValidationError)) throw err;
    problems.push({ path: ["schedules"], message: `schedules overlap with each other: ${err.message}` });
  }
  return problems;
}
