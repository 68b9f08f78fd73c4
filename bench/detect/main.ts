// `npm run bench detect [--list] [--mutant NAME[,NAME…]] [--budget SECONDS] [--keep] [--skip-suite]`: the
// detection benchmark. Each mutant (bench/mutants/*.ts, one realistic bug each) is applied to its
// own scratch copy of the tree, and the detectors run in order until one catches it or its wall
// budget (default 2 minutes) is spent: the library suite, swarm exploration of the scenarios
// nearest the mutated code, and perturbation exploration when `explore` has `--perturb`.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AREA_SCENARIOS, type Detection, exploreDetector, perturbMode, suiteDetector } from "./detectors.ts";
import { applyMutant, loadMutants, mutate, type NamedMutant } from "./mutant.ts";
import { copyTree, removeTree, scratchRoot } from "./scratchTree.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEFAULT_BUDGET_SECONDS = 120;

interface Row {
  mutant: NamedMutant;
  detection: Detection;
  wallSeconds: number;
}

function table(rows: readonly Row[]): string {
  const header = "| mutant | area | caught by | evidence (scenario, seed: invariants) | wall s |";
  const lines = rows.map((r) => {
    const d = r.detection;
    const evidence = d.caughtBy === null ? d.notes.join("; ") : d.evidence;
    return `| \`${r.mutant.name}\` | ${r.mutant.area} | ${d.caughtBy ?? "—"} | ${evidence.replaceAll("|", "/")} | ${r.wallSeconds.toFixed(0)} |`;
  });
  return [header, "|---|---|---|---|---:|", ...lines].join("\n");
}

function list(mutants: readonly NamedMutant[]): string {
  const width = Math.max(...mutants.map((m) => m.name.length));
  return mutants
    .map(
      (m) =>
        `${m.name.padEnd(width)}  ${m.area.padEnd(16)}  ${m.file}\n${" ".repeat(width + 2)}${m.description}`,
    )
    .join("\n");
}

async function detect(
  mutant: NamedMutant,
  tree: string,
  baseTree: string,
  budgetMs: number,
  perturb: string[] | null,
  skipSuite: boolean,
): Promise<Detection> {
  const deadline = Date.now() + budgetMs;
  const notes: string[] = [];
  const scenarios = AREA_SCENARIOS[mutant.area];
  if (!skipSuite) {
    const suite = await suiteDetector(tree, scenarios, deadline);
    if (suite.caughtBy !== null) return suite;
    notes.push(...suite.notes);
  }
  // With perturbation available, swarm exploration leaves it half of what is left.
  const swarmDeadline = perturb === null ? deadline : Date.now() + (deadline - Date.now()) / 2;
  const swarm = await exploreDetector({
    tree,
    baseTree,
    scenarios,
    deadline: swarmDeadline,
    mode: ["--swarm"],
    name: "explore --swarm",
  });
  if (swarm.caughtBy !== null) return { ...swarm, notes: [...notes, ...swarm.notes] };
  notes.push(...swarm.notes);
  if (perturb === null) {
    notes.push("explore --perturb: not in this tree's CLI, skipped");
    return { caughtBy: null, evidence: "", notes };
  }
  const perturbed = await exploreDetector({
    tree,
    baseTree,
    scenarios,
    deadline,
    mode: perturb,
    name: "explore --perturb",
  });
  return { ...perturbed, notes: [...notes, ...perturbed.notes] };
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      list: { type: "boolean", default: false },
      mutant: { type: "string", multiple: true },
      budget: { type: "string", default: String(DEFAULT_BUDGET_SECONDS) },
      keep: { type: "boolean", default: false },
      // Straight to exploration: for trying the explorers on a mutant the suite misses.
      "skip-suite": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const all = await loadMutants();
  if (values.list) {
    console.log(list(all));
    return 0;
  }
  const names = (values.mutant ?? []).flatMap((m) => m.split(",")).filter((m) => m !== "");
  const unknown = names.filter((n) => !all.some((m) => m.name === n));
  if (unknown.length > 0) {
    console.error(`unknown mutant(s): ${unknown.join(", ")} (npm run bench detect -- --list names them)`);
    return 2;
  }
  const chosen = names.length === 0 ? all : all.filter((m) => names.includes(m.name));
  const budgetSeconds = Number(values.budget);
  if (!Number.isFinite(budgetSeconds) || budgetSeconds <= 0) {
    console.error(`--budget: expected a number of seconds > 0, got ${values.budget}`);
    return 2;
  }
  // Every chosen mutant must still apply before anything runs: a stale one fails loudly.
  const stale: string[] = [];
  for (const m of chosen) {
    try {
      mutate(m, readFileSync(join(REPO, m.file), "utf8"));
    } catch (error) {
      stale.push((error as Error).message);
    }
  }
  if (stale.length > 0) {
    for (const line of stale) console.error(line);
    return 2;
  }

  const root = scratchRoot();
  console.log(`scratch: ${root}; budget ${budgetSeconds} s per mutant; ${chosen.length} mutant(s)`);
  const rows: Row[] = [];
  try {
    const baseTree = join(root, "base");
    copyTree(REPO, baseTree);
    mkdirSync(join(baseTree, "detect-out"));
    const perturb = await perturbMode(baseTree);
    console.log(
      perturb === null
        ? "explore --perturb: not available, skipped"
        : `explore ${perturb.join(" ")}: available`,
    );
    for (const mutant of chosen) {
      const tree = join(root, mutant.name);
      copyTree(baseTree, tree);
      applyMutant(mutant, tree);
      const started = Date.now();
      const detection = await detect(
        mutant,
        tree,
        baseTree,
        budgetSeconds * 1000,
        perturb,
        values["skip-suite"],
      );
      const row = { mutant, detection, wallSeconds: (Date.now() - started) / 1000 };
      rows.push(row);
      console.log(table([row]).split("\n").at(-1));
      if (!values.keep) removeTree(tree);
    }
  } finally {
    if (!values.keep) removeTree(root);
  }
  console.log(`\n${table(rows)}`);
  const caught = rows.filter((r) => r.detection.caughtBy !== null).length;
  console.log(`\n${caught} of ${rows.length} mutants caught by simulation within ${budgetSeconds} s each`);
  return 0;
}
