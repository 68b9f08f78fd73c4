// A shrink's output directory: minimal.yaml, shrink.log (one line per step), shrink.json (the
// target, the counts before and after, every step) and run/, the minimal scenario's run directory
// with its report. Written like every output of this tool (run/outputDirectory.ts): only into a
// new or empty directory or an earlier shrink output, whole or not at all.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CheckedOutput,
  checkOutputDirectory,
  type OutputOptions,
  replaceOutputDirectory,
} from "../run/outputDirectory.ts";
import { writeRunDirectory } from "../run/runDirectory.ts";
import { describeBudget, type ShrinkBudget } from "./budget.ts";
import { describeElements } from "./elements.ts";
import { stepLine } from "./log.ts";
import type { Shrunk } from "./search.ts";

export const SHRINK_FILE_NAMES = {
  minimal: "minimal.yaml",
  log: "shrink.log",
  record: "shrink.json",
  run: "run",
} as const;

export function checkShrinkDirectory(outDir: string, options: OutputOptions): Promise<CheckedOutput> {
  return checkOutputDirectory(outDir, "shrink", options);
}

/** The shrink log as shrink.log holds it. */
export function shrinkLogText(result: Shrunk, budget: ShrinkBudget): string {
  const ending = result.exhausted
    ? `budget of ${describeBudget(budget)} spent: a smaller scenario may exist (raise --budget)`
    : "no reduction keeps the failure: minimal";
  return [
    `shrink: ${result.target.invariant} for a ${result.target.role}`,
    ...result.steps.map(stepLine),
    `${ending}; ${describeElements(result.before)} -> ${describeElements(result.after)}`,
    "",
  ].join("\n");
}

export async function writeShrinkDirectory(
  checked: CheckedOutput,
  result: Shrunk,
  budget: ShrinkBudget,
  options: { report: boolean },
): Promise<void> {
  await replaceOutputDirectory(checked, async (staging) => {
    await writeFile(join(staging, SHRINK_FILE_NAMES.minimal), result.text);
    await writeFile(join(staging, SHRINK_FILE_NAMES.log), shrinkLogText(result, budget));
    const record = {
      target: result.target,
      seed: result.seed,
      before: result.before,
      after: result.after,
      removed: result.removed,
      exhausted: result.exhausted,
      spent: result.spent,
      steps: result.steps,
    };
    await writeFile(join(staging, SHRINK_FILE_NAMES.record), `${JSON.stringify(record, null, 2)}\n`);
  });
  await writeRunDirectory(join(checked.path, SHRINK_FILE_NAMES.run), result.run, {
    report: options.report,
    output: { force: false },
  });
}
