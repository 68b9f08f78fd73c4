// A sweep's plan: the grid of `--vary` values, every point's scenario (the file with the point's
// values set, re-validated by the scenario loader), the seeds each point runs, and what the
// measurements focus on. Everything wrong with the input is found here, before any run starts or
// anything is written, and reported as the loader reports problems: file, line:col, path, what was
// expected.
import { type Document, LineCounter, parseDocument } from "yaml";
import { parseScenario, parseScenarioObject } from "../scenario/load.ts";
import { formatPresetRef, parsePresetRefText, presetRefKey } from "../scenario/presetRef.ts";
import { type DataPath, formatPath, ScenarioError, ScenarioProblem } from "../scenario/problem.ts";
import type { PresetRef, Scenario } from "../scenario/scenario.ts";
import { positionOf } from "../scenario/yamlPositions.ts";
import { resolveScenarioPath } from "./scenarioPath.ts";
import { parseVaryOption, type VaryValue } from "./varyOption.ts";

/** One `--vary`: the field and its values, in the order given. The first one is the charts' x axis. */
export interface SweepDimension {
  /** the option's text as given */
  readonly option: string;
  /** PATH as written in the option */
  readonly name: string;
  /** where it is in the file's data */
  readonly path: DataPath;
  readonly values: readonly VaryValue[];
  /** every value is a finite number: the axis is numeric, else the values are categories */
  readonly numeric: boolean;
}

export interface SweepPoint {
  /** position in the grid: the last dimension varies fastest */
  readonly index: number;
  /** per dimension, the index of its value */
  readonly valueIndexes: readonly number[];
  /** the scenario file with the point's values set */
  readonly scenarioText: string;
}

/** Which claims and which pool the measurements are about. */
export interface SweepFocus {
  /** null: every claim and every preset's pool */
  readonly preset: PresetRef | null;
  /** the IANA zone claims are bucketed into local hours in (the workload's diurnal zone, else UTC) */
  readonly timezone: string;
}

export interface SweepPlan {
  readonly scenarioPath: string;
  readonly scenario: Scenario;
  readonly dimensions: readonly SweepDimension[];
  readonly points: readonly SweepPoint[];
  readonly seeds: readonly number[];
  readonly focus: SweepFocus;
  /** the hit rate the recommendation asks for, 0 < target ≤ 1 */
  readonly target: number;
}

export interface SweepRequest {
  /** how problems name the scenario file */
  readonly scenarioPath: string;
  /** its text */
  readonly text: string;
  /** the `--vary` options' texts */
  readonly vary: readonly string[];
  /** seeds per point, from the scenario's own seed on */
  readonly seedsPerPoint: number;
  readonly target: number;
  /** `template/preset` to measure (default: see `chooseFocus`) */
  readonly preset?: string;
}

export { DEFAULT_SEEDS_PER_POINT, DEFAULT_TARGET_HIT_RATE } from "./defaults.ts";

/** The most runs one sweep may ask for (points × seeds): a typo like `1..1000` on two axes should not run for weeks. */
export const MAX_SWEEP_RUNS = 20_000;

function problem(source: string, message: string): ScenarioProblem {
  return new ScenarioProblem(source, undefined, [], message);
}

function isPrefix(a: DataPath, b: DataPath): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}

/** The preset a data path lies inside (`templates[i].versions[j].presets[k]…`), by name. */
function presetAt(scenario: Scenario, path: DataPath): PresetRef | null {
  if (path[0] !== "templates" || path[2] !== "versions" || path[4] !== "presets") return null;
  const template = scenario.templates[path[1] as number];
  const preset = template?.versions[path[3] as number]?.presets[path[5] as number];
  return template === undefined || preset === undefined
    ? null
    : { template: template.name, preset: preset.name };
}

function presetExists(scenario: Scenario, ref: PresetRef): boolean {
  return scenario.templates.some(
    (t) =>
      t.name === ref.template &&
      t.versions.some(
        (v) =>
          (ref.version === undefined || v.name === ref.version) &&
          v.presets.some((p) => p.name === ref.preset),
      ),
  );
}

/**
 * What to measure: the `--preset` given; else the one preset every `--vary` path lies inside; else
 * the only preset the workload claims; else everything.
 */
function chooseFocus(
  scenario: Scenario,
  dimensions: readonly SweepDimension[],
  given: PresetRef | null,
): SweepFocus {
  let preset = given;
  if (preset === null) {
    const varied = dimensions.map((d) => presetAt(scenario, d.path));
    const first = varied[0];
    if (first != null && varied.every((v) => v?.template === first.template && v.preset === first.preset))
      preset = first;
  }
  if (preset === null) {
    const claimed = [
      ...new Set(
        scenario.workload.claims.map((c) =>
          presetRefKey({ template: c.preset.template, preset: c.preset.preset }),
        ),
      ),
    ];
    const only = claimed.length === 1 ? scenario.workload.claims[0]?.preset : undefined;
    preset = only === undefined ? null : { template: only.template, preset: only.preset };
  }
  const streams = scenario.workload.claims.filter(
    (c) => preset === null || (c.preset.template === preset.template && c.preset.preset === preset.preset),
  );
  const diurnal = streams.flatMap((c) =>
    c.arrivals.kind === "poisson" && c.arrivals.diurnal !== null ? [c.arrivals.diurnal.timezone] : [],
  );
  return { preset, timezone: diurnal[0] ?? "UTC" };
}

function parsePresetOption(scenarioPath: string, scenario: Scenario, text: string): PresetRef {
  const parsed = parsePresetRefText(text);
  if (!parsed.ok || !presetExists(scenario, parsed.ref)) {
    const known = scenario.templates.flatMap((t) =>
      [...new Set(t.versions.flatMap((v) => v.presets.map((p) => p.name)))].map((preset) =>
        formatPresetRef({ template: t.name, preset }),
      ),
    );
    throw new ScenarioError([
      problem(
        scenarioPath,
        `--preset: expected template/preset (or template/version/preset) of the scenario (${known.join(", ")}), got ${JSON.stringify(text)}`,
      ),
    ]);
  }
  return parsed.ref;
}

interface Parsed {
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly data: unknown;
  readonly scenario: Scenario;
}

function parseBase(scenarioPath: string, text: string): Parsed {
  const loaded = parseScenario(text, scenarioPath);
  if (!loaded.ok) throw new ScenarioError(loaded.problems);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return { doc, lineCounter, data: doc.toJS(), scenario: loaded.scenario };
}

function dimensionsOf(scenarioPath: string, base: Parsed, options: readonly string[]): SweepDimension[] {
  const problems: ScenarioProblem[] = [];
  const dimensions: SweepDimension[] = [];
  if (options.length === 0)
    problems.push(problem(scenarioPath, "--vary: expected at least one PATH=V1,V2,… to sweep"));
  for (const option of options) {
    const parsed = parseVaryOption(option);
    if (!parsed.ok) {
      problems.push(problem(scenarioPath, `--vary ${JSON.stringify(option)}: ${parsed.expected}`));
      continue;
    }
    const { vary } = parsed;
    const resolved = resolveScenarioPath(base.data, vary.steps);
    if (!resolved.ok) {
      const position = positionOf(base.doc, base.lineCounter, resolved.at);
      problems.push(
        new ScenarioProblem(
          scenarioPath,
          position,
          resolved.at,
          `${resolved.expected} (in --vary ${vary.path})`,
        ),
      );
      continue;
    }
    const clash = dimensions.find((d) => isPrefix(d.path, resolved.path) || isPrefix(resolved.path, d.path));
    if (clash !== undefined) {
      problems.push(
        problem(
          scenarioPath,
          `--vary ${vary.path}: expected fields apart from each other, got one inside --vary ${clash.name} (${formatPath(clash.path)})`,
        ),
      );
      continue;
    }
    dimensions.push({
      option,
      name: vary.path,
      path: resolved.path,
      values: vary.values,
      numeric: vary.values.every((v) => typeof v.value === "number" && Number.isFinite(v.value)),
    });
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return dimensions;
}

/** Every combination, the last dimension varying fastest. */
function grid(dimensions: readonly SweepDimension[]): number[][] {
  let combos: number[][] = [[]];
  for (const d of dimensions) combos = combos.flatMap((c) => d.values.map((_, i) => [...c, i]));
  return combos;
}

/** How a point's values read in problems and tables: `desiredInstances=3, provisioners.daemons=4`. */
export function pointLabel(dimensions: readonly SweepDimension[], valueIndexes: readonly number[]): string {
  return dimensions.map((d, i) => `${d.name}=${d.values[valueIndexes[i] as number]?.label}`).join(", ");
}

function pointScenario(
  scenarioPath: string,
  base: Parsed,
  dimensions: readonly SweepDimension[],
  valueIndexes: readonly number[],
) {
  const doc = base.doc.clone();
  dimensions.forEach((d, i) => {
    doc.setIn([...d.path], (d.values[valueIndexes[i] as number] as VaryValue).value);
  });
  const checked = parseScenarioObject(doc.toJS(), scenarioPath);
  // The point has no file of its own: its problems are shown where the file writes the field, and
  // name the varied values that lead there (all of them when the problem is elsewhere).
  const problems = checked.ok
    ? []
    : checked.problems.map((p) => {
        const related = dimensions.flatMap((d, i) =>
          isPrefix(d.path, p.path) || isPrefix(p.path, d.path) ? [i] : [],
        );
        const shown = related.length > 0 ? related : dimensions.map((_, i) => i);
        const label = pointLabel(
          shown.map((i) => dimensions[i] as SweepDimension),
          shown.map((i) => valueIndexes[i] as number),
        );
        return new ScenarioProblem(
          scenarioPath,
          positionOf(base.doc, base.lineCounter, p.path),
          p.path,
          `${p.message} (with --vary ${label})`,
        );
      });
  return { text: doc.toString({ lineWidth: 0 }), problems };
}

/** Checks the request and lays out the grid; throws a `ScenarioError` listing every problem. */
export function planSweep(request: SweepRequest): SweepPlan {
  const { scenarioPath } = request;
  const base = parseBase(scenarioPath, request.text);
  const given =
    request.preset === undefined ? null : parsePresetOption(scenarioPath, base.scenario, request.preset);
  const dimensions = dimensionsOf(scenarioPath, base, request.vary);
  const combos = grid(dimensions);
  const runs = combos.length * request.seedsPerPoint;
  if (runs > MAX_SWEEP_RUNS)
    throw new ScenarioError([
      problem(
        scenarioPath,
        `--vary: expected at most ${MAX_SWEEP_RUNS} runs (points × seeds), got ${combos.length} points × ${request.seedsPerPoint} seeds`,
      ),
    ]);
  const problems = new Map<string, ScenarioProblem>();
  const points: SweepPoint[] = combos.map((valueIndexes, index) => {
    const { text, problems: found } = pointScenario(scenarioPath, base, dimensions, valueIndexes);
    for (const p of found) if (!problems.has(p.toString())) problems.set(p.toString(), p);
    return { index, valueIndexes, scenarioText: text };
  });
  if (problems.size > 0) throw new ScenarioError([...problems.values()]);
  const seeds = Array.from({ length: request.seedsPerPoint }, (_, i) => base.scenario.seed + i);
  return {
    scenarioPath,
    scenario: base.scenario,
    dimensions,
    points,
    seeds,
    focus: chooseFocus(base.scenario, dimensions, given),
    target: request.target,
  };
}
