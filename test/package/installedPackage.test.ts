// prebuildsim as another repository's CI uses it: `npm pack` (prepack builds dist/), the tarball
// installed into a fresh project with its own package.json, vitest and TypeScript; a test there
// imports `runScenario` from "prebuildsim" and the matchers from "prebuildsim/testing", runs a
// library scenario and a scenario given as an object; the project type-checks under `strict`; and
// `npx prebuildsim` runs from node_modules/.bin without tsx.
//
// Slow (a build, an install from the registry or npm's cache, two simulations in a nested vitest):
// runs when CI is set (CI sets CI=true) or PREBUILDSIM_SLOW_TESTS=1.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../cli/cliProcess.ts";
import { PASSING as QUICK } from "../cli/smallScenarios.ts";

const run = promisify(execFile);
const enabled = Boolean(process.env.CI) || process.env.PREBUILDSIM_SLOW_TESTS === "1";
const TIMEOUT = 600_000;

/** What the package needs to build itself: the checkout without tests, benchmarks or reports. */
const SOURCES = [
  "package.json",
  "package-lock.json",
  "README.md",
  "tsconfig.json",
  "tsconfig.build.json",
  "bin",
  "scripts",
  "src",
  "types",
];

// The versions the user's project installs beside the package: the repository's own.
const lock = JSON.parse(await readFile(join(REPO, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version: string }>;
};
const versionOf = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? "*";

// A child process of this test must not look like one of vitest's workers.
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PREBUILDSIM_DATABASE_URL: "" };
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "NODE_OPTIONS") delete env[key];
  return env;
}

/** Runs a command in `cwd`; a failure's message carries the command's own output (tsc's errors). */
async function sh(file: string, args: readonly string[], cwd: string) {
  try {
    return await run(file, [...args], { cwd, env: cleanEnv(), maxBuffer: 64 << 20, timeout: TIMEOUT });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

const USER_TEST = `import { writeFile } from "node:fs/promises";
import { afterAll, expect, test } from "vitest";
import { closeDatabase, loadScenario, type RunSummary, runScenario, ScenarioError } from "prebuildsim";
import "prebuildsim/testing";

afterAll(() => closeDatabase());

test("a library scenario", async () => {
  const summary: RunSummary = await runScenario("scenarios/incident-15-lock-lost-overlap.yaml", { outDir: "out/incident" });
  expect(summary).toHaveNoViolations();
  expect(summary).toConverge();
  await writeFile("library.json", JSON.stringify(summary));
}, 300_000);

test("a scenario as an object", async () => {
  const summary = await runScenario({
    name: "quick", description: "a small pool on one replica", duration: "PT20M",
    provisioners: { buildTime: { fixed: "PT2M" } },
    templates: [{ name: "dev", versions: [{ name: "v1", presets: [{ name: "small", desiredInstances: 2 }] }] }],
    expect: { convergeWithin: "PT10M" },
  }, { seed: 3 });
  expect(summary).toHaveNoViolations();
  expect(summary).toHoldInvariant("single-lock-holder");
  await writeFile("object.json", JSON.stringify(summary));
}, 300_000);

test("bad input is a ScenarioError", async () => {
  await expect(loadScenario({ name: "Bad Name" })).rejects.toBeInstanceOf(ScenarioError);
});
`;

const USER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    types: ["node"],
  },
  include: ["*.ts"],
};

describe.skipIf(!enabled)("the installed package", () => {
  let work: string;
  let project: string;
  let tarball: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "prebuildsim-package-"));
    // Pack a copy, so the build's dist/ never lands in the checkout.
    const copy = join(work, "prebuildsim");
    await mkdir(copy);
    for (const name of SOURCES) await cp(join(REPO, name), join(copy, name), { recursive: true });
    await symlink(join(REPO, "node_modules"), join(copy, "node_modules"), "dir");
    const packed = await sh("npm", ["pack", "--json", "--pack-destination", work], copy);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string }[];
    tarball = join(work, info[0]?.filename ?? "missing.tgz");

    project = join(work, "user");
    await mkdir(join(project, "scenarios"), { recursive: true });
    await writeFile(
      join(project, "package.json"),
      `${JSON.stringify(
        {
          name: "user-of-prebuildsim",
          private: true,
          type: "module",
          devDependencies: {
            prebuildsim: `file:${tarball}`,
            vitest: versionOf("vitest"),
            typescript: versionOf("typescript"),
            "@types/node": versionOf("@types/node"),
          },
        },
        null,
        2,
      )}\n`,
    );
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(USER_TSCONFIG, null, 2));
    await writeFile(join(project, "user.test.ts"), USER_TEST);
    await writeFile(join(project, "quick.yaml"), QUICK);
    await cp(
      join(REPO, "scenarios/incident-15-lock-lost-overlap.yaml"),
      join(project, "scenarios/incident-15-lock-lost-overlap.yaml"),
    );
    await sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], project);
  }, TIMEOUT);

  it("holds only what users need", async () => {
    const { stdout } = await sh("tar", ["-tzf", tarball], work);
    const files = stdout.split("\n").filter(Boolean);
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/index.js.map");
    expect(files).toContain("package/dist/testing.d.ts");
    expect(files).toContain("package/dist/schema.json");
    expect(files).toContain("package/dist/db/migrations/002_tables.sql");
    expect(files).toContain("package/bin/prebuildsim.js");
    expect(
      files.filter((f) => /^package\/(src|test|bench|\.ci|reports|scenarios|scripts)\//.test(f)),
    ).toEqual([]);
  });

  it(
    "runs a test that imports prebuildsim and prebuildsim/testing, and type-checks under strict",
    async () => {
      await sh("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"], project);
      const tests = await sh("npx", ["vitest", "run"], project);
      expect(tests.stdout).toMatch(/3 passed/);
      const library = JSON.parse(await readFile(join(project, "library.json"), "utf8"));
      expect(library).toMatchObject({ scenario: "incident-15-lock-lost-overlap", ok: true });
      // The same scenario and seed from the command line: the same history.
      const cli = await sh(
        "npx",
        ["prebuildsim", "run", "quick.yaml", "--seed", "3", "--json", "--no-report"],
        project,
      );
      const object = JSON.parse(await readFile(join(project, "object.json"), "utf8"));
      expect(JSON.parse(cli.stdout).traceHash).toBe(object.traceHash);
    },
    TIMEOUT,
  );

  it("answers --version from node_modules/.bin without tsx", async () => {
    const started = performance.now();
    const { stdout } = await sh(join(project, "node_modules/.bin/prebuildsim"), ["--version"], project);
    const seconds = (performance.now() - started) / 1000;
    const pkg = JSON.parse(await readFile(join(REPO, "package.json"), "utf8"));
    expect(stdout.trim()).toBe(pkg.version);
    console.log(`installed prebuildsim --version: ${seconds.toFixed(2)} s`);
    await expect(sh("node", ["-e", "import('tsx')"], project)).rejects.toThrow();
  });

  it("exports the scenario format's JSON Schema", async () => {
    const { stdout } = await sh(
      "node",
      [
        "--input-type=module",
        "-e",
        "const s = await import('prebuildsim/schema.json', { with: { type: 'json' } }); console.log(s.default.$schema)",
      ],
      project,
    );
    expect(stdout.trim()).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});
