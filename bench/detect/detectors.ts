// The detectors of the detection benchmark, cheapest first: the scenario library as `npm start`
// runs it, then swarm exploration of the scenarios nearest the mutated code, then perturbation
// exploration when the command line has it. Each works in a scratch tree and stops at a deadline.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunSummary } from "../../src/check/summary.ts";
import { runCli } from "./cli.ts";
import type { MutantArea } from "./mutant.ts";

export type DetectorName = "suite" | "explore --swarm" | "explore --perturb";

export interface Detection {
  /** Null: the detector ran out of time or budget without a failure. */
  caughtBy: DetectorName | null;
  /** Which scenario and seed failed, and how (invariants, or the internal error). */
  evidence: string;
  /** Why a detector did not finish or was skipped; empty when nothing to say. */
  notes: string[];
}

/** The scenarios whose behaviour each area's code shapes most; explored in this order. */
export const AREA_SCENARIOS: Record<MutantArea, readonly string[]> = {
  "state machine": [
    "failures-backoff-hard-limit",
    "ttl-expiry-pool-shrink",
    "template-push",
    "ttl-expiry-invalidation",
  ],
  "reconciler cycle": ["pause-resume", "incident-24-claim-delete-race", "multi-replica-lock-lost"],
  "lock handling": ["multi-replica-lock-lost", "incident-15-lock-lost-overlap", "replica-crash-restart"],
  "claim path": ["incident-24-claim-delete-race", "drift-on-claim", "diurnal-claim-storm-berlin"],
  expiry: ["ttl-expiry-invalidation", "incident-16-expired-inactive", "steady-state"],
  schedules: ["dst-schedules", "diurnal-claim-storm-berlin"],
  sql: ["flaky-pool-churn", "incident-10-obsolete-pending", "failures-backoff-hard-limit", "template-push"],
};

/** Seeds per explore call: small, so a deadline costs little work and a failure stops early. */
const SEEDS_PER_CALL = 2;
/** An explore call is not started with less time than this left (worker start-up alone is seconds). */
const MIN_CALL_MS = 15_000;

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}

function violationNames(s: RunSummary): string {
  return [...new Set(s.violations.map((v) => v.invariant))].join(", ");
}

/** The summaries of the finished run directories under `dir` (each is renamed into place whole). */
function readSummaries(dir: string): RunSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => !d.startsWith("."))
    .sort()
    .map((d) => join(dir, d, "summary.json"))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, "utf8")) as RunSummary);
}

/** An internal error (exit 3) fails a suite as surely as a violation does; its first line says why. */
function internalError(stderr: string): string {
  // The command line's own header ("internal error (please report it …)") says nothing; the cause follows it.
  const line =
    stderr.split("\n").find((l) => /error|watchdog|deadlock/i.test(l) && !/please report/.test(l)) ??
    firstLine(stderr);
  return `internal error (exit 3): ${line.trim().slice(0, 160)}`;
}

/**
 * The library's scenario files, those nearest the mutated code first: `suite` runs files in name
 * order, so they are copied under numbered names (a scenario's name is its `name` field, not its
 * file name).
 */
function orderedLibrary(tree: string, first: readonly string[]): string {
  const dir = join(tree, "detect-out", "scenarios");
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(join(tree, "scenarios"))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const rank = (f: string) => {
    const i = first.indexOf(f.replace(/\.ya?ml$/, ""));
    return i === -1 ? first.length : i;
  };
  const ordered = [...files].sort((a, b) => rank(a) - rank(b));
  ordered.forEach((f, i) => {
    copyFileSync(join(tree, "scenarios", f), join(dir, `${String(i).padStart(2, "0")}-${f}`));
  });
  return dir;
}

/**
 * (a) The library suite: caught when any scenario misses its expected verdict (a non-zero exit).
 * Each run directory is written as its scenario finishes, so the suite is stopped at the first
 * failing one instead of running the rest.
 */
export async function suiteDetector(
  tree: string,
  first: readonly string[],
  deadline: number,
): Promise<Detection> {
  const out = join(tree, "detect-out", "suite");
  const library = orderedLibrary(tree, first);
  const failing = () => readSummaries(out).filter((s) => !s.ok);
  const r = await runCli(
    tree,
    ["suite", library, "--out", out, "--jobs", "1", "--no-report"],
    deadline,
    () => failing().length > 0,
  );
  if (r.stopped || r.code === 1) {
    const evidence = failing()
      .map((s) => `${s.scenario}: ${violationNames(s)}`)
      .join("; ");
    return { caughtBy: "suite", evidence, notes: [] };
  }
  if (r.code === null)
    return {
      caughtBy: null,
      evidence: "",
      notes: [
        `suite over budget after ${Math.round(r.wallMs / 1000)} s (${readSummaries(out).length} scenario(s) passed)`,
      ],
    };
  if (r.code === 0)
    return { caughtBy: null, evidence: "", notes: [`suite passed in ${Math.round(r.wallMs / 1000)} s`] };
  if (r.code === 3) return { caughtBy: "suite", evidence: internalError(r.stderr), notes: [] };
  throw new Error(`suite exited ${r.code} in ${tree}: ${firstLine(r.stderr)}`);
}

export interface ExploreDetectorOptions {
  tree: string;
  /** The unmutated tree: a failing seed must pass there, or it is a false alarm and exploring goes on. */
  baseTree: string;
  scenarios: readonly string[];
  deadline: number;
  /** Extra explore arguments that make it this detector (`--swarm`, `--perturb …`). */
  mode: readonly string[];
  name: DetectorName;
}

/**
 * Whether the failing run passes on the unmutated tree: its run directory's scenario.yaml holds
 * what the seed drew (swarm parameters, a perturbation) as an ordinary scenario.
 */
async function passesUnmutated(o: ExploreDetectorOptions, runDir: string, seed: number): Promise<boolean> {
  const scenario = join(runDir, "scenario.yaml");
  if (!existsSync(scenario)) return true;
  const out = join(o.baseTree, "detect-out", `check-${Date.now()}`);
  const r = await runCli(
    o.baseTree,
    ["run", scenario, "--seed", String(seed), "--no-report", "--quiet", "--out", out],
    Date.now() + 120_000,
  );
  return r.code === 0;
}

/**
 * (b)/(c) Explores the scenarios round robin, a few seeds per call, until a seed fails that passes
 * on the unmutated tree, or the deadline.
 */
export async function exploreDetector(o: ExploreDetectorOptions): Promise<Detection> {
  const notes: string[] = [];
  let falseAlarms = 0;
  /** scenario → seeds explored without a (true) failure */
  const passed = new Map<string, number>();
  for (let from = 1; ; from += SEEDS_PER_CALL) {
    for (const scenario of o.scenarios) {
      if (o.deadline - Date.now() < MIN_CALL_MS) {
        const done = [...passed].map(([s, n]) => `${s} seeds 1..${n}`).join(", ");
        notes.push(done === "" ? `${o.name}: no time left` : `${o.name}: ${done} passed`);
        if (falseAlarms > 0) notes.push(`${falseAlarms} seed(s) also failed unmutated (ignored)`);
        return { caughtBy: null, evidence: "", notes };
      }
      const seeds = `${from}..${from + SEEDS_PER_CALL - 1}`;
      const out = join(o.tree, "detect-out", `${o.name.replace(/\W+/g, "-")}-${scenario}-${from}`);
      const r = await runCli(
        o.tree,
        ["explore", `scenarios/${scenario}.yaml`, "--seeds", seeds, "--jobs", "1", ...o.mode, "--out", out],
        o.deadline,
      );
      if (r.code === null) continue; // The deadline: the check at the top ends the loop.
      if (r.code === 3)
        return {
          caughtBy: o.name,
          evidence: `${scenario} seeds ${seeds}: ${internalError(r.stderr)}`,
          notes,
        };
      if (r.code === 2) {
        notes.push(`${o.name}: refused (${firstLine(r.stderr).slice(0, 120)})`);
        return { caughtBy: null, evidence: "", notes };
      }
      if (r.code === 0) passed.set(scenario, from + SEEDS_PER_CALL - 1);
      if (r.code !== 1) continue;
      const record = JSON.parse(readFileSync(join(out, "explore.json"), "utf8")) as {
        results: Array<{ seed: number; dir: string | null; summary: RunSummary }>;
      };
      for (const failed of record.results.filter((x) => !x.summary.ok)) {
        if (failed.dir !== null && !(await passesUnmutated(o, join(out, failed.dir), failed.seed))) {
          falseAlarms++;
          continue;
        }
        return {
          caughtBy: o.name,
          evidence: `${scenario} seed ${failed.seed}: ${violationNames(failed.summary)}`,
          notes,
        };
      }
    }
  }
}

/**
 * The arguments that make `explore` perturb, read from its help (another change adds them), or
 * null when this tree's command line has no `--perturb`.
 */
export async function perturbMode(tree: string): Promise<string[] | null> {
  const r = await runCli(tree, ["explore", "--help"], Date.now() + 60_000);
  const help = `${r.stdout}\n${r.stderr}`;
  const option = /--perturb(\s+[<[]\w+[>\]])?/.exec(help);
  if (option === null) return null;
  const mode = option[1] === undefined ? ["--perturb"] : ["--perturb", "all"];
  if (help.includes("--max-runs")) mode.push("--max-runs", "8");
  return mode;
}
