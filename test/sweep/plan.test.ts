import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ScenarioError } from "../../src/scenario/problem.ts";
import { planSweep, type SweepRequest } from "../../src/sweep/plan.ts";
import { SMALL_DESIRED, SWEPT } from "./fixtures.ts";

function request(vary: string[], more: Partial<SweepRequest> = {}): SweepRequest {
  return { scenarioPath: "sweep.yaml", text: SWEPT, vary, seedsPerPoint: 2, target: 0.9, ...more };
}

/** The problem lines a request is refused with. */
function problems(req: SweepRequest): string[] {
  try {
    planSweep(req);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map(String);
    throw error;
  }
  throw new Error("expected the request to be refused");
}

describe("planSweep: the grid", () => {
  it("every combination, the last --vary fastest, each point's file with its values set", () => {
    const plan = planSweep(request([`${SMALL_DESIRED}=1..3`, "provisioners.daemons=2,4"]));
    expect(plan.points.map((p) => p.valueIndexes)).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ]);
    for (const p of plan.points) {
      const data = parse(p.scenarioText) as {
        templates: { versions: { presets: { desiredInstances: number }[] }[] }[];
        provisioners: { daemons: number };
      };
      expect(data.templates[0]?.versions[0]?.presets[0]?.desiredInstances).toBe(
        1 + (p.valueIndexes[0] as number),
      );
      expect(data.provisioners.daemons).toBe([2, 4][p.valueIndexes[1] as number]);
      // Everything else stays as written.
      expect(data.templates[0]?.versions[0]?.presets[1]?.desiredInstances).toBe(1);
    }
    expect(plan.dimensions.map((d) => [d.name, d.numeric])).toEqual([
      [SMALL_DESIRED, true],
      ["provisioners.daemons", true],
    ]);
  });

  it("seeds count up from the scenario's own seed, the same for every point", () => {
    expect(planSweep(request([`${SMALL_DESIRED}=1,2`], { seedsPerPoint: 3 })).seeds).toEqual([11, 12, 13]);
  });

  it("values that are not all numbers make a category axis", () => {
    const plan = planSweep(request(["workload.claims[0].rate=6/h,12/h"]));
    expect(plan.dimensions[0]?.numeric).toBe(false);
    expect(plan.points).toHaveLength(2);
  });
});

describe("planSweep: what is measured", () => {
  it("the preset every --vary lies inside, in its workload's diurnal zone", () => {
    expect(planSweep(request([`${SMALL_DESIRED}=1,2`])).focus).toEqual({
      preset: { template: "dev", preset: "small" },
      timezone: "Europe/Berlin",
    });
  });

  it("every claim when the --vary is outside presets and the workload claims two", () => {
    expect(planSweep(request(["provisioners.daemons=2,4"])).focus.preset).toBeNull();
  });

  it("--preset chooses; a preset without a diurnal workload buckets hours in UTC", () => {
    expect(planSweep(request(["provisioners.daemons=2,4"], { preset: "data/notebook" })).focus).toEqual({
      preset: { template: "data", preset: "notebook" },
      timezone: "UTC",
    });
  });
});

describe("planSweep: bad input, reported as the loader reports it", () => {
  it("a path that names no element, placed where the list is written", () => {
    expect(problems(request(["templates.prod.versions.v1.presets.small.desiredInstances=1,2"]))).toEqual([
      'sweep.yaml:9:3: templates: expected an element\'s name ("dev", "data" or an index [0]…[1]), got "prod" (in --vary templates.prod.versions.v1.presets.small.desiredInstances)',
    ]);
  });

  it("a value the scenario format refuses, placed where the file writes the field", () => {
    expect(problems(request([`${SMALL_DESIRED}=2,-1`, "provisioners.daemons=2,4"]))).toEqual([
      `sweep.yaml:13:45: templates[0].versions[0].presets[0].desiredInstances: expected an integer ≥ 0, got -1 (with --vary ${SMALL_DESIRED}=-1)`,
    ]);
  });

  it("a field the format does not know", () => {
    expect(problems(request(["provisioners.dameons=2"]))).toEqual([
      'sweep.yaml:6:3: provisioners.dameons: unknown key; did you mean "daemons"? (with --vary provisioners.dameons=2)',
    ]);
  });

  it("a reference the format checks across the file", () => {
    const lines = problems(request(["workload.claims[0].preset=dev/huge"]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^sweep\.yaml:\d+:\d+: workload\.claims\[0\]\.preset: .*huge.*\(with --vary workload\.claims\[0\]\.preset=dev\/huge\)$/,
    );
  });

  it("malformed options, every one reported", () => {
    expect(problems(request(["provisioners.daemons", "provisioners.daemons=3..1"]))).toEqual([
      "sweep.yaml: --vary \"provisioners.daemons\": expected PATH=V1,V2,… (a field path, '=', then values or a range like 1..8)",
      'sweep.yaml: --vary "provisioners.daemons=3..1": expected a range a..b with a ≤ b, got "3..1"',
    ]);
  });

  it("no --vary at all", () => {
    expect(problems(request([]))).toEqual([
      "sweep.yaml: --vary: expected at least one PATH=V1,V2,… to sweep",
    ]);
  });

  it("two --vary of one field, or one inside the other", () => {
    expect(problems(request(["provisioners.daemons=2", "provisioners=3"]))).toEqual([
      "sweep.yaml: --vary provisioners: expected fields apart from each other, got one inside --vary provisioners.daemons (provisioners.daemons)",
    ]);
  });

  it("a grid too large to run", () => {
    expect(problems(request(["provisioners.daemons=1..200", "users.count=1..200"]))).toEqual([
      "sweep.yaml: --vary: expected at most 20000 runs (points × seeds), got 40000 points × 2 seeds",
    ]);
  });

  it("--preset naming no preset of the scenario", () => {
    expect(problems(request([`${SMALL_DESIRED}=1`], { preset: "dev/huge" }))).toEqual([
      'sweep.yaml: --preset: expected template/preset (or template/version/preset) of the scenario (dev/small, dev/large, data/notebook), got "dev/huge"',
    ]);
  });

  it("the scenario file itself invalid", () => {
    expect(
      problems(request([`${SMALL_DESIRED}=1`], { text: SWEPT.replace("daemons: 4", "daemons: -4") })),
    ).toEqual(["sweep.yaml:6:12: provisioners.daemons: expected an integer ≥ 1, got -4"]);
  });
});

describe("the README's worked example", () => {
  it("plans diurnal-pool.yaml: six points on dev/small, hours in Berlin", async () => {
    const path = join(import.meta.dirname, "diurnal-pool.yaml");
    const plan = planSweep({
      scenarioPath: path,
      text: await readFile(path, "utf8"),
      vary: ["templates.dev.versions.v1.presets.small.desiredInstances=1..6"],
      seedsPerPoint: 3,
      target: 0.9,
    });
    expect(plan.points).toHaveLength(6);
    expect(plan.seeds).toEqual([1, 2, 3]);
    expect(plan.focus).toEqual({ preset: { template: "dev", preset: "small" }, timezone: "Europe/Berlin" });
    expect(plan.scenario.templates[0]?.versions[0]?.presets[0]?.scheduling).toBeNull();
  });
});

describe("planSweep: Coder-style names in --vary paths and --preset", () => {
  const LIBRARY = join(import.meta.dirname, "../../scenarios/coder-style-names.yaml");
  const GPU = 'templates.ml-training.versions.brave_turing3.presets."GPU (A100) – 8 CPU".desiredInstances';

  async function coderRequest(vary: string[], more: Partial<SweepRequest> = {}): Promise<SweepRequest> {
    const text = await readFile(LIBRARY, "utf8");
    return { scenarioPath: "coder-style-names.yaml", text, vary, seedsPerPoint: 1, target: 0.9, ...more };
  }

  it("a quoted preset name in the path finds the preset, and the focus follows it", async () => {
    const plan = planSweep(await coderRequest([`${GPU}=1,3`]));
    expect(plan.dimensions[0]?.path).toEqual([
      "templates",
      0,
      "versions",
      0,
      "presets",
      0,
      "desiredInstances",
    ]);
    expect(plan.focus.preset).toEqual({ template: "ml-training", preset: "GPU (A100) – 8 CPU" });
    const data = parse(plan.points[1]?.scenarioText ?? "") as {
      templates: { versions: { presets: { desiredInstances: number }[] }[] }[];
    };
    expect(data.templates[0]?.versions[0]?.presets[0]?.desiredInstances).toBe(3);
  });

  it("a version name with dots is quoted too", async () => {
    const plan = planSweep(
      await coderRequest(['templates.ml-training.versions."v1.2.0".presets[0].desiredInstances=1,2']),
    );
    expect(plan.dimensions[0]?.path).toEqual([
      "templates",
      0,
      "versions",
      1,
      "presets",
      0,
      "desiredInstances",
    ]);
  });

  it("--preset takes a quoted name with a slash, or a version", async () => {
    const quoted = planSweep(
      await coderRequest(["provisioners.daemons=2,4"], { preset: 'ml-training/"CPU only / small"' }),
    );
    expect(quoted.focus.preset).toEqual({ template: "ml-training", preset: "CPU only / small" });
    const versioned = planSweep(
      await coderRequest(["provisioners.daemons=2,4"], { preset: "ml-training/v1.2.0/GPU (A100) – 8 CPU" }),
    );
    expect(versioned.focus.preset).toEqual({
      template: "ml-training",
      version: "v1.2.0",
      preset: "GPU (A100) – 8 CPU",
    });
  });

  it("--preset naming no preset lists the scenario's presets in the form it takes", async () => {
    expect(
      problems(await coderRequest(["provisioners.daemons=2,4"], { preset: "ml-training/CPU only" })),
    ).toEqual([
      'coder-style-names.yaml: --preset: expected template/preset (or template/version/preset) of the scenario (ml-training/GPU (A100) – 8 CPU, ml-training/"CPU only / small"), got "ml-training/CPU only"',
    ]);
  });
});
