// The search (issue #18): run the original, pick the failure to keep, then try the reductions in
// their order, each candidate in turn; a candidate that still breaks the same invariant for the
// same kind of subject (and nothing the original did not break) becomes the new scenario and its
// reduction starts over from it. Rounds repeat until a whole round keeps nothing or the budget is
// spent. Every step is a pure function of the input: the same scenario, seed and budget give the
// same minimal scenario byte for byte.
import type { ExecutedRun, ScenarioSource } from "../run/execute.ts";
import { parseScenario } from "../scenario/load.ts";
import { ScenarioError } from "../scenario/problem.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { fits, type ShrinkBudget, type Spent } from "./budget.ts";
import { cloneData, type Data, dataText, mapAt } from "./data.ts";
import { countElements, type ElementCount } from "./elements.ts";
import { type ShrinkStep, type StepResult, step } from "./log.ts";
import { minimalYaml } from "./minimalYaml.ts";
import type { Candidate, Reduction, ShrinkState } from "./reduction.ts";
import { REDUCTIONS } from "./reductions/index.ts";
import { chooseTarget, type FailureTarget, mismatch } from "./target.ts";

/** Runs one candidate: the scenario (and its YAML) with a seed, on whatever database the caller has. */
export type RunCandidate = (source: ScenarioSource, seed: number) => Promise<ExecutedRun>;

export interface ShrinkOptions {
  /** The failing scenario's file data (YAML as plain objects). */
  readonly data: Data;
  readonly seed: number;
  /** How the original is named: a run directory, or a file and its seed. */
  readonly origin: string;
  /** The invariant to keep broken (default: the original run's first violation). */
  readonly invariant?: string;
  readonly budget: ShrinkBudget;
  readonly run: RunCandidate;
  /** Sees every step as it is logged (progress output). */
  readonly onStep?: (step: ShrinkStep) => void;
  /** The reductions to try, in order (default all, REDUCTIONS). */
  readonly reductions?: readonly Reduction[];
}

export interface Shrunk {
  readonly status: "shrunk";
  readonly target: FailureTarget;
  /** minimal.yaml */
  readonly text: string;
  readonly data: Data;
  readonly seed: number;
  /** The minimal scenario's run, its scenario text being minimal.yaml. */
  readonly run: ExecutedRun;
  readonly before: ElementCount;
  readonly after: ElementCount;
  readonly removed: readonly string[];
  readonly steps: readonly ShrinkStep[];
  readonly spent: Spent;
  /** The budget ran out before a round kept nothing: a smaller scenario may exist. */
  readonly exhausted: boolean;
}

export interface NotReproduced {
  readonly status: "not-reproduced";
  /** One line: what the original run did instead. */
  readonly reason: string;
  readonly steps: readonly ShrinkStep[];
  readonly spent: Spent;
}

export type ShrinkResult = Shrunk | NotReproduced;

function loaded(data: Data, origin: string): { text: string; scenario: Scenario } | { problem: string } {
  const text = dataText(data);
  const result = parseScenario(text, origin);
  if (result.ok) return { text, scenario: result.scenario };
  const first = result.problems[0];
  return {
    problem: first === undefined ? "refused by the loader" : `${first.path.join(".")}: ${first.message}`,
  };
}

/** The data as the search starts from it: `expect.reach` goes (probes are not failures). */
function prepared(data: Data): { data: Data; removed: string[] } {
  const copy = cloneData(data);
  const expect = mapAt(copy, "expect");
  if (expect?.reach === undefined) return { data: copy, removed: [] };
  delete expect.reach;
  return { data: copy, removed: ["drop expect.reach (coverage probes are not failures)"] };
}

export async function shrink(options: ShrinkOptions): Promise<ShrinkResult> {
  const steps: ShrinkStep[] = [];
  const spent: Spent = { runs: 0, simulated: 0 };
  const log = (reduction: string, what: string, result: StepResult, why?: string) => {
    const s = step(reduction, what, result, spent, why);
    steps.push(s);
    options.onStep?.(s);
  };
  const start = prepared(options.data);
  const first = parseScenario(dataText(start.data), options.origin);
  if (!first.ok) throw new ScenarioError(first.problems);
  const runOnce = async (text: string, scenario: Scenario, seed: number): Promise<ExecutedRun> => {
    spent.runs++;
    spent.simulated += scenario.duration;
    return options.run({ scenario, text }, seed);
  };

  const notReproduced = (reason: string): NotReproduced => ({
    status: "not-reproduced",
    reason,
    steps,
    spent,
  });
  if (!fits(options.budget, spent, first.scenario.duration))
    return notReproduced("the budget does not allow even the original run");
  const originalText = dataText(start.data);
  const original = await runOnce(originalText, first.scenario, options.seed);
  const target = chooseTarget(original.summary, first.scenario, options.invariant);
  const name = `${options.origin} with seed ${options.seed}`;
  if (target === undefined) {
    const broken = [...new Set(original.summary.violations.map((v) => v.invariant))];
    const does = broken.length === 0 ? "passes" : `breaks only ${broken.join(", ")}`;
    const reason =
      options.invariant === undefined
        ? `${name} no longer fails: it passes (has the code changed since the run?)`
        : `${name} does not break ${options.invariant}: it ${does} (has the code changed since the run?)`;
    log("original", "run the original", "undone", reason);
    return notReproduced(reason);
  }
  log("original", `run the original: breaks ${target.invariant} for a ${target.role}`, "kept");

  let state: ShrinkState = { data: start.data, seed: options.seed, summary: original.summary, target };
  let best = original;
  const removed = [...start.removed];
  const tried = new Set<string>([`${options.seed}\n${originalText}`]);
  let exhausted = false;

  /** Tries one candidate; true when it was kept. */
  const attempt = async (reduction: Reduction, candidate: Candidate): Promise<boolean> => {
    const load = loaded(candidate.data, options.origin);
    if ("problem" in load) {
      log(reduction.name, candidate.what, "invalid", load.problem);
      return false;
    }
    if (!fits(options.budget, spent, load.scenario.duration)) {
      exhausted = true;
      return false;
    }
    let run: ExecutedRun;
    try {
      run = await runOnce(load.text, load.scenario, candidate.seed);
    } catch (error) {
      log(reduction.name, candidate.what, "undone", `the run failed: ${(error as Error).message}`);
      return false;
    }
    const why = mismatch(run.summary, load.scenario, target);
    if (why !== null) {
      log(reduction.name, candidate.what, "undone", why);
      return false;
    }
    state = { data: candidate.data, seed: candidate.seed, summary: run.summary, target };
    best = run;
    removed.push(candidate.what);
    log(reduction.name, candidate.what, "kept");
    return true;
  };

  /** One reduction until none of its candidates is kept; true when any was. */
  const exhaust = async (reduction: Reduction): Promise<boolean> => {
    let keptAny = false;
    for (let restart = true; restart && !exhausted; ) {
      restart = false;
      for (const candidate of reduction.candidates(state)) {
        const key = `${candidate.seed}\n${dataText(candidate.data)}`;
        if (tried.has(key)) continue;
        tried.add(key);
        if (await attempt(reduction, candidate)) {
          keptAny = restart = true;
          break;
        }
        if (exhausted) break;
      }
    }
    return keptAny;
  };

  for (let round = true; round && !exhausted; ) {
    round = false;
    for (const reduction of options.reductions ?? REDUCTIONS) {
      if (exhausted) break;
      if (await exhaust(reduction)) round = true;
    }
  }

  const before = countElements(options.data);
  const after = countElements(state.data);
  const text = minimalYaml(state.data, {
    target,
    origin: options.origin,
    originalSeed: options.seed,
    before,
    after,
    seed: state.seed,
    runs: spent.runs,
    removed,
  });
  return {
    status: "shrunk",
    target,
    text,
    data: state.data,
    seed: state.seed,
    run: { ...best, scenarioText: text },
    before,
    after,
    removed,
    steps,
    spent,
    exhausted,
  };
}
