// A small deployment written as the import's CSV files, by hand, for the command-line tests: one
// template `dev` with a preset `small` in Europe/Berlin, a few prebuild builds and claims. Each
// test may drop a column or rows to make it bad input.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import { importQueries } from "../../src/import/queries.ts";

/** The query's columns, in its order (the rows below are written in that order). */
function columnsOf(file: string): string[] {
  const q = importQueries({}).find((x) => x.file === file);
  if (q === undefined) throw new Error(`no import query writes ${file}`);
  return [...q.columns];
}

type Table = { columns: string[]; rows: (string | null)[][] };

function csvField(v: string | null): string {
  if (v === null) return "";
  return v === "" || /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const T = "11111111-1111-4111-8111-111111111111";
const V = "22222222-2222-4222-8222-222222222222";
const P = "33333333-3333-4333-8333-333333333333";
const PERSON = "44444444-4444-4444-8444-444444444444";
const WORKER = "55555555-5555-4555-8555-555555555555";

function at(minutes: number, seconds = 0): string {
  return new Date(Date.UTC(2026, 2, 2, 8, minutes, seconds)).toISOString();
}

function build(
  n: number,
  o: { person?: boolean; previousByPrebuilds?: boolean; buildNumber?: number; status?: string },
) {
  const minute = n * 10;
  return [
    `b${n}`,
    `w${n}`,
    T,
    V,
    P,
    String(o.buildNumber ?? 1),
    "start",
    o.person === true ? PERSON : PREBUILDS_SYSTEM_USER_ID,
    String(o.person !== true),
    o.previousByPrebuilds === undefined ? null : String(o.previousByPrebuilds),
    at(minute),
    at(minute, 5),
    at(minute + 2, 5 + n),
    o.status ?? "succeeded",
    WORKER,
    at(minute + 2, 30 + n),
  ];
}

export function fixtureTables(): Record<string, Table> {
  return {
    "window.csv": { columns: columnsOf("window.csv"), rows: [[at(0), at(120)]] },
    "templates.csv": {
      columns: columnsOf("templates.csv"),
      rows: [[T, "dev", "coder", "true", V, ""]],
    },
    "versions.csv": {
      columns: columnsOf("versions.csv"),
      rows: [[V, T, "v1", at(0)]],
    },
    "parameters.csv": {
      columns: columnsOf("parameters.csv"),
      rows: [[V, "cpu", "", "true", "true"]],
    },
    "presets.csv": {
      columns: columnsOf("presets.csv"),
      rows: [[P, V, 'small, "quoted"', "2", "0", "Europe/Berlin", "healthy"]],
    },
    "preset_parameters.csv": { columns: columnsOf("preset_parameters.csv"), rows: [[P, "cpu", "2"]] },
    "schedules.csv": {
      columns: columnsOf("schedules.csv"),
      rows: [[P, "* 8-18 * * 1-5", "4"]],
    },
    "builds.csv": {
      columns: columnsOf("builds.csv"),
      rows: [
        build(0, {}),
        build(1, {}),
        build(2, { status: "failed" }),
        build(3, { person: true, previousByPrebuilds: true, buildNumber: 2 }),
        build(4, { person: true }),
        build(5, { person: true, previousByPrebuilds: true, buildNumber: 2 }),
      ],
    },
    "settings.csv": {
      columns: columnsOf("settings.csv"),
      rows: [["prebuilds_settings", '{"reconciliation_paused": false}']],
    },
  };
}

/** Writes the tables (after `edit`) into a fresh directory. */
export async function writeCsvFixture(
  edit: (tables: Record<string, Table>) => void = () => {},
): Promise<string> {
  const tables = fixtureTables();
  edit(tables);
  const dir = await mkdtemp(join(tmpdir(), "prebuildsim-import-fixture-"));
  for (const [file, t] of Object.entries(tables)) {
    const lines = [t.columns.join(","), ...t.rows.map((r) => r.map(csvField).join(","))];
    await writeFile(join(dir, file), `${lines.join("\n")}\n`);
  }
  return dir;
}
