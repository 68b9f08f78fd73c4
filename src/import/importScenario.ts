// `prebuildsim import` as a function: a source (a Coder database, an open SQL session, a folder of
// CSV files, a Prometheus export) in, the fitted parameters and the scenario's text out. The text
// is checked with the scenario loader before it is returned: an import never hands over a file
// `run` would refuse.
import { readFile } from "node:fs/promises";
import type { SqlExecutor } from "../db/driver.ts";
import { InputError } from "../run/inputError.ts";
import { parseScenario } from "../scenario/load.ts";
import { type Fitted, fitObservations } from "./fit.ts";
import { type Observations, observationsFromRows, type RowSets } from "./observations.ts";
import type { ImportFilter } from "./queries.ts";
import { readImportCsv } from "./readCsv.ts";
import { readImportRows, readImportRowsFromUrl } from "./readDatabase.ts";
import { observationsFromPrometheus } from "./readPrometheus.ts";
import { writeScenarioText } from "./scenarioWriter.ts";

export type ImportSource =
  | { readonly kind: "database"; readonly url: string }
  | { readonly kind: "session"; readonly session: SqlExecutor; readonly label: string }
  | { readonly kind: "csv"; readonly dir: string }
  | { readonly kind: "prometheus"; readonly file: string };

export interface ImportOptions extends ImportFilter {
  /** The organisation's time zone for the demand's hours; absent: inferred (the header says how). */
  readonly timezone?: string | undefined;
  /** The scenario's name (default `imported`). */
  readonly name?: string | undefined;
}

export interface ImportResult {
  readonly fitted: Fitted;
  readonly text: string;
}

async function observationsOf(source: ImportSource, filter: ImportFilter): Promise<Observations> {
  if (source.kind === "prometheus") {
    let text: string;
    try {
      text = await readFile(source.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        `--from-prometheus ${source.file}: cannot read it (${code === "ENOENT" ? "no such file" : (code ?? String(error))})`,
      );
    }
    return observationsFromPrometheus(text, source.file, filter);
  }
  const { rows, label } = await rowsOf(source, filter);
  return observationsFromRows(rows, label);
}

async function rowsOf(
  source: Exclude<ImportSource, { kind: "prometheus" }>,
  filter: ImportFilter,
): Promise<{ rows: RowSets; label: string }> {
  switch (source.kind) {
    case "database":
      return {
        rows: await readImportRowsFromUrl(source.url, filter),
        label: "a Coder database (--database-url)",
      };
    case "session":
      return { rows: await readImportRows(source.session, filter, source.label), label: source.label };
    case "csv": {
      // The CSV files hold what the printed queries selected: the filter was applied by psql.
      return { rows: await readImportCsv(source.dir), label: `CSV files in ${source.dir}` };
    }
  }
}

export async function importScenario(
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const fitted = fitObservations(await observationsOf(source, options), { timezone: options.timezone });
  return { fitted, text: checkedScenarioText(fitted, options.name ?? "imported") };
}

/** The scenario's text, loaded once to be sure it loads; a refusal is a bug of the writer. */
export function checkedScenarioText(fitted: Fitted, name: string): string {
  const text = writeScenarioText(fitted, { name });
  const loaded = parseScenario(text, `${name}.yaml`);
  if (!loaded.ok)
    throw new Error(
      `import wrote a scenario the loader refuses:\n${loaded.problems.map((p) => p.toString()).join("\n")}\n${text}`,
    );
  return text;
}
