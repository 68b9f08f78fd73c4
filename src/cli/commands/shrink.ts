// `prebuildsim shrink <run-dir | scenario.yaml [--seed N]>`: from a failing run, the smallest
// scenario that still breaks the same invariant (src/shrink/). Writes minimal.yaml, the shrink
// log and the minimal run's directory; exit 0 when shrunk, 1 when the original failure does not
// reproduce, 2 for bad input.
import { join } from "node:path";
import { executeRun } from "../../run/execute.ts";
import { InputError } from "../../run/inputError.ts";
import { INVARIANT_NAMES } from "../../scenario/scenario.ts";
import {
  BUDGET_EXPECTED,
  DEFAULT_SHRINK_BUDGET,
  parseBudget,
  type ShrinkBudget,
} from "../../shrink/budget.ts";
import { describeElements } from "../../shrink/elements.ts";
import { readShrinkInput } from "../../shrink/input.ts";
import { stepLine } from "../../shrink/log.ts";
import { checkShrinkDirectory, SHRINK_FILE_NAMES, writeShrinkDirectory } from "../../shrink/output.ts";
import { shrink } from "../../shrink/search.ts";
import { withDriver } from "../database.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";
import { Progress } from "../progress.ts";

export interface ShrinkCommandOptions {
  input: string;
  seed: number | undefined;
  invariant: string | undefined;
  budget: string | undefined;
  out: string | undefined;
  force: boolean;
  report: boolean;
  databaseUrl: string | undefined;
}

export function parseBudgetOption(text: string | undefined, option = "--budget"): ShrinkBudget {
  if (text === undefined) return DEFAULT_SHRINK_BUDGET;
  const budget = parseBudget(text);
  if (budget === undefined)
    throw new InputError(`${option}: ${BUDGET_EXPECTED}, got ${JSON.stringify(text)}`);
  return budget;
}

export function checkInvariantOption(name: string | undefined): string | undefined {
  if (name !== undefined && !(INVARIANT_NAMES as readonly string[]).includes(name))
    throw new InputError(
      `--invariant: expected one of ${INVARIANT_NAMES.join(", ")}, got ${JSON.stringify(name)}`,
    );
  return name;
}

export async function shrinkCommand(io: CliIo, o: ShrinkCommandOptions): Promise<ExitCode> {
  const budget = parseBudgetOption(o.budget);
  const invariant = checkInvariantOption(o.invariant);
  const input = await readShrinkInput(o.input, o.seed);
  const name = typeof input.data.name === "string" ? input.data.name : "scenario";
  const out = o.out ?? join("reports", `shrink-${name}-${input.seed}`);
  const checked = await checkShrinkDirectory(out, {
    force: o.force,
    protect: [input.scenarioPath],
    createParents: o.out === undefined,
  });
  const progress = new Progress();
  let kept = 0;
  const result = await withDriver(o.databaseUrl, (driver) =>
    shrink({
      data: input.data,
      seed: input.seed,
      origin: input.origin,
      ...(invariant === undefined ? {} : { invariant }),
      budget,
      run: (source, seed) => executeRun(source, { seed, driver, judgeReach: false }),
      onStep: (s) => {
        if (s.result === "kept") kept++;
        progress.update(`shrink ${name}: ${s.runs} runs, ${kept} kept; ${stepLine(s).slice(12)}`);
      },
    }),
  );
  progress.done();
  if (result.status === "not-reproduced") {
    io.err(`shrink: ${result.reason}\n`);
    return ExitCode.Failed;
  }
  await writeShrinkDirectory(checked, result, budget, { report: o.report });
  const lines = [
    `shrink ${name}: ${result.target.invariant} for a ${result.target.role}`,
    `  before: ${describeElements(result.before)}, seed ${input.seed}`,
    `  after:  ${describeElements(result.after)}, seed ${result.seed}`,
    `  ${result.spent.runs} runs${result.exhausted ? " (budget spent: a smaller scenario may exist)" : ""}`,
    `minimal: ${join(out, SHRINK_FILE_NAMES.minimal)}`,
    `log:     ${join(out, SHRINK_FILE_NAMES.log)}`,
    `run:     ${join(out, SHRINK_FILE_NAMES.run)} (prebuildsim run ${join(out, SHRINK_FILE_NAMES.minimal)})`,
  ];
  io.out(`${lines.join("\n")}\n`);
  return ExitCode.Ok;
}
