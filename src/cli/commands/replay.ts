// `prebuildsim replay DIR`: reruns the recorded scenario and seed and compares the new trace with
// DIR/trace.jsonl line by line and with the hash in summary.json. Nothing in DIR is changed.
import { executeRun } from "../../run/execute.ts";
import { readRecordedRun } from "../../run/runDirectory.ts";
import { firstDivergence, traceLines } from "../../trace/compare.ts";
import { hashTraceText } from "../../trace/trace.ts";
import { withDriver } from "../database.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";
import { Progress } from "../progress.ts";
import { scenarioFromText } from "../scenarioInput.ts";
import { virtualProgress } from "./virtualProgress.ts";

export async function replayCommand(
  io: CliIo,
  o: { dir: string; databaseUrl: string | undefined },
): Promise<ExitCode> {
  const recorded = await readRecordedRun(o.dir);
  const input = scenarioFromText(`${o.dir}/scenario.yaml`, recorded.scenarioText);
  const seed = recorded.summary.seed;
  const progress = new Progress();
  const files = await withDriver(o.databaseUrl, (driver) =>
    executeRun(input, { seed, driver, onProgress: virtualProgress(progress, input.scenario, seed) }),
  );
  progress.done();
  const recordedHash = hashTraceText(recorded.traceText);
  const divergence = firstDivergence(traceLines(recorded.traceText), traceLines(files.traceText));
  const problems: string[] = [];
  if (recordedHash !== recorded.summary.traceHash)
    problems.push(
      `trace.jsonl hashes to ${recordedHash}, but summary.json records ${recorded.summary.traceHash} (the file was changed)`,
    );
  if (files.summary.traceHash !== recorded.summary.traceHash)
    problems.push(
      `the replay hashes to ${files.summary.traceHash}, summary.json records ${recorded.summary.traceHash}`,
    );
  if (divergence !== undefined) {
    problems.push(`first difference at line ${divergence.line}:`);
    problems.push(`  recorded: ${divergence.expected ?? "(the recorded trace ended)"}`);
    problems.push(`  replayed: ${divergence.actual ?? "(the replayed trace ended)"}`);
  }
  if (problems.length === 0) {
    io.out(`${o.dir}: identical — ${files.summary.events} lines, ${files.summary.traceHash}\n`);
    return ExitCode.Ok;
  }
  io.out(`${o.dir}: diverged\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  return ExitCode.Failed;
}
