// `--summary FILE`: the outcomes as Markdown for a CI job summary (`$GITHUB_STEP_SUMMARY`, a GitLab
// or Jenkins page): a headline, the verdict table with links into the run directories (relative to
// the summary file, so they work beside it in an artifact), then each failing run's violations and
// the commands that reproduce it. Appended to the file, as GitHub expects of its steps.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { CiOutcome } from "./ciOutcome.ts";
import { violationLine } from "./printSummary.ts";

/** Table cells must not break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function link(path: string, from: string): string {
  const href = relative(from, path).split(sep).join("/");
  return `[${cell(path)}](${encodeURI(href)})`;
}

function distinct(names: readonly string[]): string {
  return names.length === 0 ? "-" : [...new Set(names)].join(", ");
}

/** The Markdown; `summaryDir` is the folder the file will be in (links are relative to it). */
export function jobSummaryMarkdown(
  title: string,
  outcomes: readonly CiOutcome[],
  summaryDir: string,
): string {
  const failed = outcomes.filter((o) => !o.summary.ok);
  const lines = [
    `## ${failed.length === 0 ? "✅" : "❌"} ${title}`,
    "",
    `${outcomes.length - failed.length} of ${outcomes.length} passed, ${failed.length} failed.`,
    "",
    "| scenario | seed | verdict | violations | allowed | run |",
    "|---|---:|---|---|---|---|",
    ...outcomes.map((o) =>
      [
        "",
        cell(o.summary.scenario),
        String(o.summary.seed),
        o.summary.ok ? "PASS" : "**FAIL**",
        cell(distinct(o.summary.violations.map((v) => v.invariant))),
        cell(distinct(o.summary.allowed.map((v) => v.invariant))),
        o.runDir === null ? "-" : link(join(o.runDir, "report.html"), summaryDir),
        "",
      ]
        .join(" | ")
        .trim(),
    ),
  ];
  for (const o of failed) {
    lines.push("", `### ${o.summary.scenario} seed ${o.summary.seed}`, "");
    for (const v of o.summary.violations) lines.push(`- ${violationLine(v)}`);
    lines.push("", "```sh", ...o.reproduce, "```");
  }
  return `${lines.join("\n")}\n`;
}

/** Appends the summary to `file` (creating it and its folder). */
export async function appendJobSummary(
  file: string,
  title: string,
  outcomes: readonly CiOutcome[],
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, jobSummaryMarkdown(title, outcomes, dirname(file)));
}
