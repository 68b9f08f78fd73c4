// `prebuildsim import`: a scenario from a real deployment — a Coder database (`--database-url`),
// the CSV files of the printed queries (`--from-csv`), or a Prometheus export (`--from-prometheus`).
// Everything is read and fitted before anything is written; the scenario file is written whole
// (a temporary sibling renamed into place), and a file prebuildsim did not write is never replaced.
import { readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type ImportResult, type ImportSource, importScenario } from "../../import/importScenario.ts";
import { psqlScript } from "../../import/queries.ts";
import { IMPORT_HEADER_START } from "../../import/scenarioWriter.ts";
import { InputError } from "../../run/inputError.ts";
import { checkOutputFile } from "../../run/outputDirectory.ts";
import { parseIsoInstant, parseTimeZone } from "../../scenario/isoTime.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";

export interface ImportCommandOptions {
  readonly databaseUrl: string | undefined;
  readonly fromCsv: string | undefined;
  readonly fromPrometheus: string | undefined;
  readonly printQueries: boolean;
  readonly since: string | undefined;
  readonly until: string | undefined;
  readonly organization: string | undefined;
  readonly templates: readonly string[];
  readonly timezone: string | undefined;
  readonly name: string;
  readonly out: string | undefined;
  readonly force: boolean;
}

function instantOption(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseIsoInstant(text);
  if (!parsed.ok) throw new InputError(`${option}: ${parsed.expected}, got ${JSON.stringify(text)}`);
  return parsed.value;
}

/** An existing --out must be a scenario this command wrote (its header says so), unless --force. */
async function checkImportOut(path: string, force: boolean): Promise<void> {
  await checkOutputFile(path, "--out");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return;
  }
  if (!force && !text.startsWith(IMPORT_HEADER_START))
    throw new InputError(
      `--out ${path}: the file exists and prebuildsim import did not write it; name a new file (or pass --force to replace it)`,
    );
}

export async function importCommand(io: CliIo, o: ImportCommandOptions): Promise<ExitCode> {
  const since = instantOption("--since", o.since);
  const until = instantOption("--until", o.until);
  if (since !== undefined && until !== undefined && until <= since)
    throw new InputError(`--until: expected an instant after --since ${o.since}, got ${o.until}`);
  let timezone: string | undefined;
  if (o.timezone !== undefined) {
    const parsed = parseTimeZone(o.timezone);
    if (!parsed.ok) throw new InputError(`--timezone: ${parsed.expected}, got ${JSON.stringify(o.timezone)}`);
    timezone = parsed.value;
  }
  if (!/^[a-z0-9-]+$/.test(o.name))
    throw new InputError(
      `--name: expected lowercase letters, digits and dashes, got ${JSON.stringify(o.name)}`,
    );
  const filter = {
    since,
    until,
    organization: o.organization,
    templates: o.templates.length > 0 ? o.templates : undefined,
  };
  if (o.printQueries) {
    io.out(psqlScript(filter));
    return ExitCode.Ok;
  }
  const sources = [o.databaseUrl, o.fromCsv, o.fromPrometheus].filter((s) => s !== undefined);
  if (sources.length !== 1)
    throw new InputError(
      "import: expected exactly one source: --database-url URL, --from-csv DIR or --from-prometheus FILE (or --print-queries)",
    );
  if (o.out === undefined) throw new InputError("import: expected --out FILE, where the scenario goes");
  await checkImportOut(o.out, o.force);

  const options = { ...filter, timezone, name: o.name };
  let result: ImportResult;
  if (o.fromPrometheus !== undefined)
    result = await importScenario({ kind: "prometheus", file: o.fromPrometheus }, options);
  else {
    const source: ImportSource =
      o.databaseUrl !== undefined
        ? { kind: "database", url: o.databaseUrl }
        : { kind: "csv", dir: o.fromCsv as string };
    if (
      source.kind === "csv" &&
      (o.organization !== undefined || o.templates.length > 0 || since !== undefined || until !== undefined)
    )
      throw new InputError(
        "--from-csv: the window and the template selection are the printed queries' (pass them to --print-queries)",
      );
    result = await importScenario(source, options);
  }
  const temporary = join(dirname(o.out), `.${o.name}.import-${process.pid}.tmp`);
  await writeFile(temporary, result.text);
  await rename(temporary, o.out);
  for (const w of result.fitted.warnings) io.err(`warning: ${w}\n`);
  io.out(
    `wrote ${o.out} (${result.fitted.rowCounts.builds ?? 0} builds, ${result.fitted.presets.length} presets)\n`,
  );
  return ExitCode.Ok;
}
