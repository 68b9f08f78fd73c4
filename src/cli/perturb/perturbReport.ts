// How `explore --perturb` shows its runs: per seed, the points recorded and the perturbations
// run (and how they were chosen), then one line per perturbed run — its point, its fault,
// whether it landed, its verdict — on stdout and as a table in the explore index.
import { relative, sep } from "node:path";
import { escapeHtml, escapeMarkdown } from "../../report/escape.ts";
import type { FaultData } from "../../world/faults/faultKind.ts";
import { describePoint } from "../../world/faults/perturbationPoint.ts";
import type { PerturbationJob } from "../exploreProtocol.ts";
import type { ExploredSeed, ExploreRecord } from "../exploreRecord.ts";
import type { Landing } from "./landing.ts";

type Perturbed = ExploredSeed & { perturbation: PerturbationJob & { landing: Landing } };

/** The fault as a scenario's flow mapping: `{at: PT20M, kind: lock-connection-lost, …}`. */
export function faultText(f: FaultData): string {
  return `{${Object.entries(f)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ")}}`;
}

export function describePerturbation(p: PerturbationJob): string {
  return `${String(p.fault.kind)} at ${describePoint(p.point)}`;
}

const LANDED_WORDS: Record<Landing["outcome"], string> = {
  landed: "landed",
  elsewhere: "struck elsewhere",
  noop: "perturbation changed nothing",
};

function perturbed(record: ExploreRecord): Perturbed[] {
  return record.results.filter((r): r is Perturbed => r.perturbation !== undefined);
}

/** Per seed what was recorded and chosen, then every perturbed run in one line. */
export function perturbationListing(record: ExploreRecord): string {
  const perturb = record.perturb;
  if (perturb === undefined) return "";
  const lines: string[] = [];
  for (const s of perturb.seeds) {
    const chosen =
      perturb.mode === "sample"
        ? "one drawn from the seed"
        : s.runs < s.perturbations
          ? `--max-runs ${perturb.maxRuns} < ${s.perturbations}: ${s.runs} spread evenly over them`
          : "all of them";
    lines.push(
      `seed ${s.seed}: ${s.cycleStatements} cycle-statement points in ${s.cycles} cycles, ${s.notifications} notification points; ${s.perturbations} perturbations (${perturb.faults.join(", ")}), ${s.runs} run (${chosen})`,
    );
  }
  const runs = perturbed(record);
  const count = (o: Landing["outcome"]) => runs.filter((r) => r.perturbation.landing.outcome === o).length;
  lines.push(
    `${runs.length} perturbed runs: ${count("landed")} landed, ${count("elsewhere")} struck elsewhere, ${count("noop")} changed nothing; ${runs.filter((r) => !r.summary.ok).length} failed`,
  );
  for (const r of runs) {
    const p = r.perturbation;
    lines.push(
      `  seed ${r.seed} #${p.number} ${describePerturbation(p)}: ${LANDED_WORDS[p.landing.outcome]}, ${r.summary.ok ? "PASS" : "FAIL"}${p.landing.outcome === "landed" ? "" : ` (${p.landing.detail})`}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function link(outDir: string, dir: string, file: string): string {
  const rel = (relative(outDir, dir) || ".").split(sep).join("/");
  return `${rel.split("/").map(encodeURIComponent).join("/")}/${file}`;
}

/** The index's table of perturbed runs (HTML and Markdown). */
export function perturbedRunsAppendix(
  outDir: string,
  record: ExploreRecord,
  dirOf: (r: ExploredSeed) => string,
): { html: string; markdown: string } {
  const runs = perturbed(record);
  const html = runs
    .map((r) => {
      const p = r.perturbation;
      const report =
        r.dir === null ? "" : `<a href="${escapeHtml(link(outDir, dirOf(r), "report.html"))}">report</a>`;
      return `<tr><td class="num">${r.seed}</td><td class="num">${p.number}</td><td>${escapeHtml(describePoint(p.point))}</td><td><code>${escapeHtml(faultText(p.fault))}</code></td><td>${escapeHtml(LANDED_WORDS[p.landing.outcome])}<br><span class="muted">${escapeHtml(p.landing.detail)}</span></td><td class="${r.summary.ok ? "pass" : "fail"}">${r.summary.ok ? "PASS" : "FAIL"}</td><td>${report}</td></tr>`;
    })
    .join("\n");
  const markdown = runs.map((r) => {
    const p = r.perturbation;
    const report = r.dir === null ? "" : `[report](${link(outDir, dirOf(r), "report.md")})`;
    return `| ${r.seed} | ${p.number} | ${escapeMarkdown(describePoint(p.point))} | \`${faultText(p.fault)}\` | ${escapeMarkdown(LANDED_WORDS[p.landing.outcome])}: ${escapeMarkdown(p.landing.detail)} | ${r.summary.ok ? "✅ PASS" : "❌ FAIL"} | ${report} |`;
  });
  const intro = `Perturbed runs (${record.perturb?.mode ?? ""}): each injects one fault at one point the unperturbed run of its seed recorded; "landed" means it struck that very cycle.`;
  return {
    html: `<h2>Perturbed runs</h2>
<p>${escapeHtml(intro)}</p>
<table>
<thead><tr><th>seed</th><th>#</th><th>point</th><th>fault</th><th>landed?</th><th>verdict</th><th>report</th></tr></thead>
<tbody>
${html}
</tbody>
</table>
`,
    markdown: [
      "## Perturbed runs",
      "",
      escapeMarkdown(intro),
      "",
      "| seed | # | point | fault | landed? | verdict | report |",
      "| ---: | ---: | --- | --- | --- | --- | --- |",
      ...markdown,
      "",
    ].join("\n"),
  };
}
