// `prebuildsim report DIR`: re-renders report.html, report.md and the charts from the run files.
import { renderRunReport } from "../../report/index.ts";
import { checkOwnOutput } from "../../run/outputDirectory.ts";
import { readRecordedRun } from "../../run/runDirectory.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";

export async function reportCommand(io: CliIo, options: { dir: string }): Promise<ExitCode> {
  // The same checks replay makes: a directory that is not a run directory is bad input.
  await readRecordedRun(options.dir);
  await checkOwnOutput(options.dir, "run");
  const files = await renderRunReport(options.dir);
  io.out(`${files.html}\n${files.markdown}\n`);
  return ExitCode.Ok;
}
