// The run directory's input files (SCENARIOS.md §4 and the sampler's time series), read and checked
// at the boundary: a report of a damaged or foreign directory fails with the file and the JSON path
// of the problem, instead of drawing nonsense. Unknown extra keys are fine (the contract only grows).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { RunSummary } from "../check/summary.ts";
import type { TimeSeries } from "../trace/timeseries.ts";

const count = z.number().int().nonnegative();
const violation = z.object({
  invariant: z.string(),
  at: z.string(),
  subject: z.string(),
  message: z.string(),
  traceLines: z.array(z.number().int().positive()),
});
const warning = z.object({
  at: z.string(),
  subject: z.string(),
  message: z.string(),
  occurrences: count,
  traceLines: z.array(z.number().int().positive()),
});
const claimCounts = { total: count, hits: count, misses: count };

const runSummarySchema: z.ZodType<RunSummary> = z.object({
  scenario: z.string(),
  seed: z.number(),
  version: z.string(),
  traceHash: z.string(),
  events: count,
  start: z.string(),
  end: z.string(),
  simulatedSeconds: z.number(),
  wallSeconds: z.number(),
  ok: z.boolean(),
  violations: z.array(violation),
  allowed: z.array(violation),
  // Run directories written before warnings existed have none.
  warnings: z.array(warning).default([]),
  presets: z.array(
    z.object({
      template: z.string(),
      version: z.string(),
      preset: z.string(),
      active: z.boolean(),
      desired: count,
      running: count,
      eligible: count,
      starting: count,
      failedWorkspaces: count,
      created: count,
      failed: count,
      claimed: count,
      convergedAt: z.string().nullable(),
      status: z.enum(["healthy", "hard_limited", "validation_failed"]),
      claims: z.object(claimCounts),
      overProvisioned: z.object({ minutes: z.number().nonnegative(), peak: count }).optional(),
      underProvisioned: z.object({ minutes: z.number().nonnegative(), peak: count }).optional(),
    }),
  ),
  claims: z.object({
    ...claimCounts,
    hitRate: z.number(),
    waitSeconds: z.object({ p50: z.number(), p95: z.number(), max: z.number() }),
  }),
  reconciler: z.object({
    cycles: count,
    lockAcquired: count,
    lockSkipped: count,
    durationSeconds: z.object({ p50: z.number(), max: z.number() }),
  }),
  provisioner: z.object({ jobs: count, maxQueueDepth: count, busyFraction: z.number() }),
  probes: z.record(z.string(), z.number()),
  // Run directories written before faults were reported have none.
  faults: z
    .array(
      z.object({
        index: count,
        kind: z.string(),
        at: z.string(),
        replica: z.string().optional(),
        preset: z.string().optional(),
        effect: z.record(z.string(), z.number()),
        noop: z.boolean(),
        reason: z.string().optional(),
        traceLines: z.array(count),
      }),
    )
    .default([]),
});

const instant = z.number().int();
const timeSeriesSchema: z.ZodType<TimeSeries> = z.object({
  sampleEvery: z.number().positive(),
  presets: z.array(
    z.object({
      key: z.string(),
      template: z.string(),
      version: z.string(),
      preset: z.string(),
      samples: z.array(
        z.object({
          t: instant,
          desired: count,
          running: count,
          eligible: count,
          starting: count,
          stopping: count,
          deleting: count,
          failed: count,
        }),
      ),
    }),
  ),
  queue: z.array(z.object({ t: instant, prebuild: count, human: count, running: count })),
  lock: z.array(z.object({ t: instant, holder: z.string().nullable() })),
});

export const RUN_FILES = {
  summary: "summary.json",
  trace: "trace.jsonl",
  timeseries: "timeseries.json",
  scenario: "scenario.yaml",
} as const;

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new Error(`report: cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

function parseJsonFile<T>(path: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`report: ${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`report: ${path} does not match its contract:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

export async function readRunSummary(dir: string): Promise<RunSummary> {
  const path = join(dir, RUN_FILES.summary);
  return parseJsonFile(path, await readText(path), runSummarySchema);
}

export async function readTimeSeries(dir: string): Promise<TimeSeries> {
  const path = join(dir, RUN_FILES.timeseries);
  return parseJsonFile(path, await readText(path), timeSeriesSchema);
}

/** The scenario as run, verbatim (it is shown in the report and mined for names and versions). */
export async function readScenarioText(dir: string): Promise<string> {
  return readText(join(dir, RUN_FILES.scenario));
}
