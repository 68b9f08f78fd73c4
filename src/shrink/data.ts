// The scenario as the shrinker edits it: the file's own data (the YAML as plain objects), not the
// normalised `Scenario`. Reductions rewrite what a person wrote — drop a fault, halve a duration —
// so the minimal scenario reads like the original, and the loader judges every candidate exactly
// as it judges a file.
import { stringify } from "yaml";
import { formatIsoDuration, parseIsoDuration } from "../scenario/isoTime.ts";

export type Data = Record<string, unknown>;

export function isData(value: unknown): value is Data {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A deep copy (the data is plain YAML values). */
export function cloneData<T>(data: T): T {
  return structuredClone(data);
}

/** The list at `data[key]`, or an empty list when absent or not a list. */
export function listAt(data: Data, key: string): unknown[] {
  const value = data[key];
  return Array.isArray(value) ? value : [];
}

/** The mapping at `data[key]`, or undefined. */
export function mapAt(data: Data, key: string): Data | undefined {
  const value = data[key];
  return isData(value) ? value : undefined;
}

/** An ISO-8601 duration field in milliseconds, or undefined when absent or malformed. */
export function durationAt(data: Data, key: string): number | undefined {
  const value = data[key];
  if (typeof value !== "string") return undefined;
  const parsed = parseIsoDuration(value);
  return parsed.ok ? parsed.value : undefined;
}

const MINUTE = 60_000;
const SECOND = 1000;

/** `ms` rounded up to whole minutes (whole seconds below a minute), as an ISO duration. */
export function roundedDuration(ms: number): string {
  const unit = ms >= MINUTE ? MINUTE : SECOND;
  return formatIsoDuration(Math.ceil(ms / unit) * unit);
}

/** The data as YAML, the form every candidate is loaded, run and written in. */
export function dataText(data: Data): string {
  return stringify(data, { lineWidth: 0 });
}

/** The copy of `data` with one element of the list at `key` removed. */
export function withoutElement(data: Data, key: string, index: number): Data {
  const copy = cloneData(data);
  const list = listAt(copy, key);
  list.splice(index, 1);
  if (list.length === 0) delete copy[key];
  return copy;
}
