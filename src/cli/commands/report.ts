// `prebuildsim report DIR`: re-renders report.html, report.md and the charts from the run files.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { CHARTS_DIR, renderRunReport } from "../../report/index.ts";
import { InputError } from "../../run/inputError.ts";
import { checkOwnOutput } from "../../run/outputDirectory.ts";
import { readRecordedRun } from "../../run/runDirectory.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";

/** The charts are rewritten in place: a `charts` that is a link or a file is someone else's. */
async function checkChartsDirectory(dir: string): Promise<void> {
  const charts = join(dir, CHARTS_DIR);
  const stat = await lstat(charts).catch(() => undefined);
  if (stat !== undefined && !stat.isDirectory())
    throw new InputError(
      `${charts}: not a directory of this tool's (${stat.isSymbolicLink() ? "a symbolic link" : "a file"}); the report would write through it, so it is left as it is`,
    );
}

export async function reportCommand(io: CliIo, options: { dir: string }): Promise<ExitCode> {
  // The same checks replay makes: a directory that is not a run directory is bad input.
  await readRecordedRun(options.dir);
  await checkOwnOutput(options.dir, "run");
  await checkChartsDirectory(options.dir);
  const files = await renderRunReport(options.dir);
  io.out(`${files.html}\n${files.markdown}\n`);
  return ExitCode.Ok;
}
