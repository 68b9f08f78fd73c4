// The CSV path of `prebuildsim import` (`--from-csv DIR`): the files `psql \copy … WITH (FORMAT csv,
// HEADER)` wrote from the queries `--print-queries` prints. psql's CSV: RFC 4180 quoting, a header
// line, NULL as an unquoted empty field and the empty string as "". Each file must have the
// query's columns (more are ignored, order is free).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../run/inputError.ts";
import type { RowSets, TextRow } from "./observations.ts";
import { importQueries } from "./queries.ts";

/** The records of CSV text; a field is null when it was empty and unquoted. */
export function parseCsv(text: string, file: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  if (n === 0) return records;
  for (;;) {
    let field: string | null;
    if (text[i] === '"') {
      const startLine = line;
      let value = "";
      i += 1;
      for (;;) {
        if (i >= n) throw new InputError(`${file}:${startLine}: a quoted field is not closed`);
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === "\n") line += 1;
        value += c;
        i += 1;
      }
      field = value;
    } else {
      let j = i;
      while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j += 1;
      const raw = text.slice(i, j);
      field = raw === "" ? null : raw;
      i = j;
    }
    record.push(field);
    if (i < n && text[i] === ",") {
      i += 1;
      continue;
    }
    if (i < n && text[i] === "\r") i += 1;
    if (i < n && text[i] !== "\n")
      throw new InputError(`${file}:${line}: expected a comma or the end of the line after a quoted field`);
    records.push(record);
    record = [];
    line += 1;
    i += 1;
    if (i >= n) break;
  }
  return records;
}

/** Reads every query's file from `dir`; a missing file or column is bad input, named. */
export async function readImportCsv(dir: string): Promise<RowSets> {
  const sets = new Map<string, readonly TextRow[]>();
  for (const q of importQueries({})) {
    const path = join(dir, q.file);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        `${path}: cannot read it (${code === "ENOENT" ? "no such file" : (code ?? String(error))}); write it with the queries of prebuildsim import --print-queries`,
      );
    }
    const [header, ...records] = parseCsv(text, path);
    if (header === undefined)
      throw new InputError(`${path}:1: expected a header line with ${q.columns.join(",")}`);
    const names = header.map((h) => h ?? "");
    const missing = q.columns.filter((c) => !names.includes(c));
    if (missing.length > 0)
      throw new InputError(
        `${path}:1: expected the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in the header (it has ${names.join(",")})`,
      );
    sets.set(
      q.file,
      records.map((values, r) => {
        if (values.length !== names.length)
          throw new InputError(
            `${path}:${r + 2}: expected ${names.length} fields as in the header, got ${values.length}`,
          );
        const row: Record<string, string | null> = {};
        names.forEach((name, k) => {
          row[name] = values[k] ?? null;
        });
        return row;
      }),
    );
  }
  return sets;
}
