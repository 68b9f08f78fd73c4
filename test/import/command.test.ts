// `prebuildsim import` on the command line: the printed queries, the CSV path end to end, and
// bad input (issue 17 part 7) — each case one clear line, exit 2, nothing written.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.ts";
import { PGliteSession } from "../../src/db/pgliteSession.ts";
import { readImportRows } from "../../src/import/readDatabase.ts";
import { InputError } from "../../src/run/inputError.ts";
import { parseScenario, scenarioOrThrow } from "../../src/scenario/load.ts";
import { captureIo, scratchDir } from "../cli/cliProcess.ts";
import { writeCsvFixture } from "./csvFixture.ts";

async function cli(args: string[]) {
  const io = captureIo();
  const code = await main(["node", "prebuildsim", "import", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Exit 2, exactly one line on stderr matching `line`, nothing on stdout, `dir` unchanged. */
async function expectBadInput(args: string[], line: RegExp, dir: string): Promise<void> {
  const before = (await readdir(dir)).sort();
  const r = await cli(args);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect((await readdir(dir)).sort()).toEqual(before);
}

describe("--print-queries", () => {
  test("prints one read-only transaction of \\copy lines, one per CSV file", async () => {
    const r = await cli([
      "--print-queries",
      "--since",
      "2026-03-01T00:00:00Z",
      "--until",
      "2026-03-08T00:00:00Z",
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .filter((l) => !l.startsWith("--"));
    expect(lines[0]).toBe("BEGIN TRANSACTION READ ONLY;");
    expect(lines.at(-1)).toBe("COMMIT;");
    const copies = lines.slice(1, -1);
    expect(copies.map((l) => /TO '([a-z_]+\.csv)'/.exec(l)?.[1])).toEqual([
      "window.csv",
      "templates.csv",
      "versions.csv",
      "parameters.csv",
      "presets.csv",
      "preset_parameters.csv",
      "schedules.csv",
      "builds.csv",
      "settings.csv",
    ]);
    for (const l of copies)
      expect(l).toMatch(/^\\copy \(SELECT .*\) TO '[a-z_]+\.csv' WITH \(FORMAT csv, HEADER\)$/);
    expect(r.stdout).toContain("'2026-03-01T00:00:00Z'::timestamptz");
    expect(r.stdout).not.toMatch(/now\(\)/);
  });

  test("a name with a quote is an SQL literal with the quote doubled", async () => {
    const r = await cli(["--print-queries", "--template", "it's"]);
    expect(r.stdout).toContain("t.name IN ('it''s')");
  });
});

describe("--from-csv", () => {
  test("writes a scenario that loads, with the preset's real name, schedule and zone", async () => {
    const dir = await writeCsvFixture();
    const out = join(await scratchDir(), "imported.yaml");
    const r = await cli(["--from-csv", dir, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${out} (6 builds, 1 presets)\n`);
    const text = await readFile(out, "utf8");
    const s = scenarioOrThrow(parseScenario(text, out));
    const preset = s.templates[0]?.versions[0]?.presets[0];
    expect(preset?.name).toBe('small, "quoted"');
    expect(preset?.scheduling).toEqual({
      timezone: "Europe/Berlin",
      schedules: [{ cron: "* 8-18 * * 1-5", instances: 4 }],
    });
    expect(text).toContain(
      "# Time zone of the demand: Europe/Berlin — inferred: the presets' scheduling time zone.",
    );
    expect(s.workload.claims).toHaveLength(1);
    expect(s.workload.claims[0]?.arrivals).toEqual({ kind: "poisson", perHour: 1.5, diurnal: null });
  });

  test("a preset with too few builds to fit falls back to a stated default, with a warning", async () => {
    const dir = await writeCsvFixture();
    const out = join(await scratchDir(), "imported.yaml");
    const r = await cli(["--from-csv", dir, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: preset dev/small, "quoted": 3 finished prebuild starts, too few to fit (need 5): its failure rate falls back to the pooled one\n',
    );
    expect(r.stderr).toContain(
      "warning: build time: fewer than 5 prebuild builds to fit it: the default (median PT2M, p90 PT5M) stands\n",
    );
    const text = await readFile(out, "utf8");
    expect(text).toContain("# WARNING: build time: fewer than 5");
    expect(text).not.toMatch(/^ {2}buildTime:/m);
  });

  test("a CSV file without one of the query's columns", async () => {
    const dir = await writeCsvFixture((t) => {
      const b = t["builds.csv"];
      if (b === undefined) return;
      const i = b.columns.indexOf("job_status");
      b.columns.splice(i, 1);
      for (const row of b.rows) row.splice(i, 1);
    });
    const cwd = await scratchDir();
    await expectBadInput(
      ["--from-csv", dir, "--out", join(cwd, "x.yaml")],
      /builds\.csv:1: expected the column job_status in the header \(it has build_id,/,
      cwd,
    );
  });

  test("a missing CSV file", async () => {
    const dir = await writeCsvFixture();
    await rm(join(dir, "presets.csv"));
    const cwd = await scratchDir();
    await expectBadInput(
      ["--from-csv", dir, "--out", join(cwd, "x.yaml")],
      /presets\.csv: cannot read it \(no such file\); write it with the queries of prebuildsim import --print-queries$/,
      cwd,
    );
  });

  test("a window with no claims", async () => {
    const dir = await writeCsvFixture((t) => {
      const b = t["builds.csv"];
      if (b !== undefined) b.rows = b.rows.filter((r) => r[8] === "true");
    });
    const cwd = await scratchDir();
    await expectBadInput(
      ["--from-csv", dir, "--out", join(cwd, "x.yaml")],
      /: no claim in the window 2026-03-02T08:00:00Z to 2026-03-02T10:00:00Z: there is no demand to fit/,
      cwd,
    );
  });

  test("a window without any build of the selected templates", async () => {
    const dir = await writeCsvFixture((t) => {
      const w = t["window.csv"];
      if (w !== undefined) w.rows = [[null, null]];
    });
    const cwd = await scratchDir();
    await expectBadInput(
      ["--from-csv", dir, "--out", join(cwd, "x.yaml")],
      /: no workspace builds of the selected templates: nothing to import/,
      cwd,
    );
  });

  test("a value of the wrong shape names its file, row and column", async () => {
    const dir = await writeCsvFixture((t) => {
      const row = t["builds.csv"]?.rows[0];
      if (row !== undefined) row[10] = "yesterday";
    });
    const cwd = await scratchDir();
    await expectBadInput(
      ["--from-csv", dir, "--out", join(cwd, "x.yaml")],
      /^builds\.csv: row 2, column job_created_at: expected an ISO-8601 instant like .*, got "yesterday"$/,
      cwd,
    );
  });
});

describe("--from-prometheus bad input", () => {
  test("a file that is not JSON, and one without Coder's prebuild series", async () => {
    const cwd = await scratchDir();
    const bad = join(await scratchDir(), "bad.json");
    await writeFile(bad, "{not json");
    await expectBadInput(
      ["--from-prometheus", bad, "--out", join(cwd, "x.yaml")],
      /bad\.json: not JSON \(.*\); expected a Prometheus range-query response$/,
      cwd,
    );
    await writeFile(bad, JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
    await expectBadInput(
      ["--from-prometheus", bad, "--out", join(cwd, "x.yaml")],
      /bad\.json: no coderd_prebuilt_workspaces_\* series; export them with a range query like /,
      cwd,
    );
  });
});

describe("bad input of the command", () => {
  test("an unreachable database", async () => {
    const cwd = await scratchDir();
    await expectBadInput(
      ["--database-url", "postgres://coder:secret@127.0.0.1:1/coder", "--out", join(cwd, "x.yaml")],
      /^--database-url: cannot connect to PostgreSQL at postgres:\/\/coder:\*\*\*@127\.0\.0\.1:1\/coder: /,
      cwd,
    );
  });

  test("no source, two sources, no --out, a bad --since", async () => {
    const cwd = await scratchDir();
    const out = join(cwd, "x.yaml");
    await expectBadInput(["--out", out], /^import: expected exactly one source: /, cwd);
    await expectBadInput(
      ["--from-csv", cwd, "--from-prometheus", "p.json", "--out", out],
      /^import: expected exactly one source: /,
      cwd,
    );
    await expectBadInput(["--from-csv", cwd], /^import: expected --out FILE/, cwd);
    await expectBadInput(
      ["--from-csv", cwd, "--since", "monday", "--out", out],
      /^--since: expected an? /,
      cwd,
    );
  });

  test("--out naming a file prebuildsim import did not write is never replaced without --force", async () => {
    const dir = await writeCsvFixture();
    const cwd = await scratchDir();
    const out = join(cwd, "notes.yaml");
    await writeFile(out, "precious\n");
    await expectBadInput(
      ["--from-csv", dir, "--out", out],
      /^--out .*notes\.yaml: the file exists and prebuildsim import did not write it; /,
      cwd,
    );
    expect(await readFile(out, "utf8")).toBe("precious\n");
    expect((await cli(["--from-csv", dir, "--out", out, "--force"])).code).toBe(0);
    // Its own earlier output is replaced without --force.
    expect((await cli(["--from-csv", dir, "--out", out])).code).toBe(0);
    expect(await readFile(out, "utf8")).toMatch(/^# Written by prebuildsim import/);
  });

  test("run --keep-database without --database-url (PGlite's database lives in the process only)", async () => {
    const io = captureIo();
    // CI sets PREBUILDSIM_DATABASE_URL, which stands for --database-url: this case is without it.
    const url = process.env.PREBUILDSIM_DATABASE_URL;
    delete process.env.PREBUILDSIM_DATABASE_URL;
    let code: number;
    try {
      code = await main(["node", "prebuildsim", "run", "no-such.yaml", "--keep-database"], io);
    } finally {
      if (url !== undefined) process.env.PREBUILDSIM_DATABASE_URL = url;
    }
    expect({ code, stderr: io.stderr }).toEqual({
      code: 2,
      stderr: "--keep-database: expected --database-url too (PGlite's database lives in this process only)\n",
    });
  });

  test("a database without the prebuilds tables", async () => {
    const db = await PGlite.create();
    try {
      const session = new PGliteSession(db);
      await db.exec("CREATE TABLE templates (id uuid)");
      const error = await readImportRows(session.autocommit, {}, "--database-url x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).lines).toEqual([
        "--database-url x: not a Coder database with prebuilds: no table organizations, provisioner_jobs, site_configs, template_version_parameters, template_version_preset_parameters, template_version_preset_prebuild_schedules, template_version_presets, template_versions, workspace_agents, workspace_builds, workspace_resources, workspaces (Coder v2.24 or later has them)",
      ]);
    } finally {
      await db.close();
    }
  });
});
