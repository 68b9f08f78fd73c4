// Runs the CI recipes of examples/ci/ on this machine, as their engines would: the shell lines
// that call prebuildsim, with the engine's environment (a GitHub Actions matrix value, a
// Kubernetes completion index), artifacts and volumes as folders, and `prebuildsim` on PATH as the
// real command line of this checkout. Only the recipe's own env values are overridden (the
// scenario, the seeds, the results folder), so the command lines run as written.
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { type CliRun, REPO, runProcess } from "../cli/cliProcess.ts";

export const RECIPES = join(REPO, "examples/ci");

export interface StepRun extends CliRun {
  script: string;
}

/** A folder holding a `prebuildsim` that runs this checkout's command line. */
export async function prebuildsimOnPath(dir: string): Promise<string> {
  const bin = join(dir, "bin");
  await mkdir(bin, { recursive: true });
  await writeFile(
    join(bin, "prebuildsim"),
    `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, "bin/prebuildsim.js")}" "$@"\n`,
    {
      mode: 0o755,
    },
  );
  return bin;
}

/** A GitHub Actions `run:` step, as its runner's default bash shell runs it. */
async function bashStep(script: string, cwd: string, env: Record<string, string>): Promise<StepRun> {
  return {
    script,
    ...(await runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd, env)),
  };
}

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, string | number>;
}
interface WorkflowJob {
  env?: Record<string, string | number>;
  strategy?: { matrix?: { shard?: number[] } };
  steps: Step[];
}
export interface Workflow {
  env: Record<string, string | number>;
  jobs: { explore: WorkflowJob; merge: WorkflowJob };
}

export async function readWorkflow(): Promise<Workflow> {
  return parse(await readFile(join(RECIPES, "github-actions.yml"), "utf8")) as Workflow;
}

/** `${{ matrix.shard }}` and nothing else: the recipe uses no other expression in what runs here. */
function expand(text: string, shard: number | undefined): string {
  const out = text.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard));
  if (/\$\{\{/.test(out)) throw new Error(`unexpected GitHub expression in ${JSON.stringify(text)}`);
  return out;
}

const strings = (o: Record<string, string | number> | undefined, shard?: number) =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, expand(String(v), shard)]));

/**
 * The GitHub Actions recipe: every shard of the matrix in its own workspace, their uploaded
 * artifacts, then the merge job with the artifacts downloaded. Returns every prebuildsim step's run.
 */
export async function runGithubWorkflow(
  root: string,
  overrides: Record<string, string>,
  files: Record<string, string>,
): Promise<{ shards: StepRun[]; merge: StepRun[]; mergeDir: string; stepSummary: string }> {
  const wf = await readWorkflow();
  const bin = await prebuildsimOnPath(root);
  const PATH = `${bin}:${process.env.PATH}`;
  const prebuildsimSteps = (job: WorkflowJob) => job.steps.filter((s) => s.run?.includes("prebuildsim"));
  const artifacts = join(root, "artifacts");
  const shards: StepRun[] = [];
  for (const shard of wf.jobs.explore.strategy?.matrix?.shard ?? []) {
    const ws = join(root, `explore-${shard}`);
    await mkdir(ws, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(ws, name), text);
    const env = { ...strings(wf.env), ...strings(wf.jobs.explore.env, shard), ...overrides, PATH };
    for (const step of prebuildsimSteps(wf.jobs.explore))
      shards.push(await bashStep(expand(step.run as string, shard), ws, env));
    for (const step of wf.jobs.explore.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact")))
      await cp(
        join(ws, expand(String(step.with?.path), shard)),
        join(artifacts, expand(String(step.with?.name), shard)),
        {
          recursive: true,
        },
      );
  }
  const ws = join(root, "merge");
  await mkdir(ws, { recursive: true });
  const download = wf.jobs.merge.steps.find((s) => s.uses?.startsWith("actions/download-artifact"));
  const pattern = new RegExp(`^${String(download?.with?.pattern).replace(/\*/g, ".*")}$`);
  for (const name of await readdir(artifacts))
    if (pattern.test(name))
      await cp(join(artifacts, name), join(ws, String(download?.with?.path), name), { recursive: true });
  const stepSummary = join(root, "step-summary.md");
  const env = {
    ...strings(wf.env),
    ...strings(wf.jobs.merge.env),
    ...overrides,
    PATH,
    GITHUB_STEP_SUMMARY: stepSummary,
  };
  const merge: StepRun[] = [];
  for (const step of prebuildsimSteps(wf.jobs.merge))
    merge.push(await bashStep(expand(step.run as string, undefined), ws, env));
  return { shards, merge, mergeDir: ws, stepSummary };
}

interface Container {
  command: string[];
  env?: { name: string; value: string }[];
}
export interface K8sJob {
  kind: string;
  spec: { completionMode?: string; completions?: number; template: { spec: { containers: Container[] } } };
}

export async function readK8s(file: string): Promise<K8sJob[]> {
  const docs = parseAllDocuments(await readFile(join(RECIPES, file), "utf8"));
  return docs.map((d) => {
    if (d.errors.length > 0) throw d.errors[0];
    return d.toJS() as K8sJob;
  });
}

function containerRun(container: Container, cwd: string, env: Record<string, string>): Promise<StepRun> {
  const [sh, flag, script] = container.command;
  if (sh !== "sh" || flag !== "-c" || script === undefined)
    throw new Error(`expected sh -c <script>, got ${container.command}`);
  const own = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
  return runProcess("sh", ["-c", script], cwd, { ...own, ...env }).then((r) => ({ script, ...r }));
}

/** The Kubernetes recipe: each completion of the Indexed Job with its JOB_COMPLETION_INDEX, then the merge Job. */
export async function runKubernetesJobs(
  root: string,
  overrides: Record<string, string>,
): Promise<{ shards: StepRun[]; merge: StepRun }> {
  const bin = await prebuildsimOnPath(root);
  const PATH = `${bin}:${process.env.PATH}`;
  const job = (await readK8s("kubernetes-indexed-job.yaml")).find(
    (d) => d.kind === "Job" && d.spec.completionMode === "Indexed",
  );
  const mergeJob = (await readK8s("kubernetes-merge-job.yaml")).find((d) => d.kind === "Job");
  if (!job || !mergeJob) throw new Error("the recipes lack their Jobs");
  const shards: StepRun[] = [];
  for (let i = 0; i < (job.spec.completions ?? 1); i++)
    for (const c of job.spec.template.spec.containers)
      shards.push(await containerRun(c, root, { ...overrides, PATH, JOB_COMPLETION_INDEX: String(i) }));
  const container = mergeJob.spec.template.spec.containers[0] as Container;
  return { shards, merge: await containerRun(container, root, { ...overrides, PATH }) };
}
