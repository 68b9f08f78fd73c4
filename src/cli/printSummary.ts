// The short summary `run` prints (and `suite` reuses per row): the verdict first, then what a
// person needs to look further — the violations with their trace lines, the report, the replay.
import type { RunSummary, Violation, Warning } from "../check/summary.ts";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function verdictWord(summary: RunSummary): string {
  return summary.ok ? "PASS" : "FAIL";
}

export function violationLine(v: Violation): string {
  const lines =
    v.traceLines.length === 0
      ? ""
      : ` (trace line${v.traceLines.length === 1 ? "" : "s"} ${v.traceLines.join(", ")})`;
  return `${v.invariant} at ${v.at} [${v.subject}]: ${v.message}${lines}`;
}

export function warningLine(w: Warning): string {
  const lines = `trace line${w.traceLines.length === 1 ? "" : "s"} ${w.traceLines.join(", ")}`;
  const times = w.occurrences === 1 ? "" : `, ${w.occurrences} times`;
  return `${w.subject} from ${w.at}: ${w.message} (${lines}${times})`;
}

function formatSeconds(s: number): string {
  if (s >= 3600) return `${+(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${+(s / 60).toFixed(1)} min`;
  return `${+s.toFixed(2)} s`;
}

export function shortSummary(summary: RunSummary, dir: string | undefined): string {
  const out: string[] = [];
  const allowed = [...new Set(summary.allowed.map((v) => v.invariant))];
  const verdict = summary.ok
    ? `every invariant holds${allowed.length > 0 ? ` (allowed to break, and broke: ${allowed.join(", ")})` : ""}`
    : `${plural(summary.violations.length, "violation")}`;
  // Warnings do not fail a run, but a deployment configured like this would quietly do otherwise.
  const warnings = summary.warnings.length > 0 ? `; ${plural(summary.warnings.length, "warning")}` : "";
  out.push(`${summary.scenario} seed ${summary.seed}: ${verdictWord(summary)} — ${verdict}${warnings}`);
  out.push(
    `  ${formatSeconds(summary.simulatedSeconds)} simulated in ${formatSeconds(summary.wallSeconds)}, ${plural(summary.events, "trace line")}, ${summary.traceHash}`,
  );
  const c = summary.claims;
  if (c.total > 0)
    out.push(
      `  claims: ${c.total} (${c.hits} hits, ${Math.round(c.hitRate * 100)}%), wait p50 ${formatSeconds(c.waitSeconds.p50)}, p95 ${formatSeconds(c.waitSeconds.p95)}`,
    );
  const r = summary.reconciler;
  out.push(
    `  reconciler: ${r.cycles} cycles, ${r.lockAcquired} with the lock, cycle p50 ${formatSeconds(r.durationSeconds.p50)}`,
  );
  const reached = Object.entries(summary.probes).filter(([, n]) => n > 0);
  if (reached.length > 0) out.push(`  probes: ${reached.map(([name, n]) => `${name} ${n}`).join(", ")}`);
  for (const w of summary.warnings) out.push(`  ! warning: ${warningLine(w)}`);
  for (const v of summary.violations) out.push(`  ✗ ${violationLine(v)}`);
  for (const v of summary.allowed) out.push(`  ~ allowed: ${violationLine(v)}`);
  if (dir !== undefined) {
    out.push(`  report: ${dir}/report.html`);
    out.push(`  replay: prebuildsim replay ${dir}`);
  }
  return `${out.join("\n")}\n`;
}
