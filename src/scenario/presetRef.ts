// How a preset is named in one line of text — a scenario's claims and faults, `sweep --preset` —
// and the key trace lines write for it (the keys themselves: trace/presetKey.ts).
//
// The text form is `template/preset` or `template/version/preset`. Template and version names
// never contain `/` or `"` (names.ts), but a preset name is free text, so any part may be written
// as a JSON string: `ml-training/"GPU 1/2"`. A part written bare is taken exactly as written (no
// trimming), up to the next `/`.
//
// Trace lines and summaries join the names with `/` unquoted (`template/version/preset`, claims
// `template/preset`), as they always did; since the template and version parts cannot contain a
// slash, everything after the last separator they need is the preset, whatever it contains.
import { claimKey, presetKey } from "../trace/presetKey.ts";
import type { PresetRef } from "./scenario.ts";

export const PRESET_REF_EXPECTED =
  'expected template/preset or template/version/preset, like dev/small (a name with a slash in JSON quotes: dev/"GPU 1/2"), or a mapping {template, version, preset}';

const TEXT_EXPECTED =
  'expected template/preset or template/version/preset, like dev/small (a name with a slash in JSON quotes: dev/"GPU 1/2")';

export type PresetRefParse =
  | { readonly ok: true; readonly ref: PresetRef }
  | { readonly ok: false; readonly expected: string };

/** The parts of `text` between `/`s, each bare or a JSON string; a string when the text is malformed. */
function parts(text: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      // The closing quote is the first one not escaped by a backslash.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) return `${TEXT_EXPECTED}; the quote at character ${i + 1} is not closed`;
      try {
        out.push(JSON.parse(text.slice(i, j + 1)) as string);
      } catch {
        return `${TEXT_EXPECTED}; ${text.slice(i, j + 1)} is not a JSON string`;
      }
      i = j + 1;
      if (i < text.length && text[i] !== "/")
        return `${TEXT_EXPECTED}; expected / after the quoted name ${text.slice(0, i)}`;
    } else {
      const slash = text.indexOf("/", i);
      const end = slash === -1 ? text.length : slash;
      out.push(text.slice(i, end));
      i = end;
    }
    if (i >= text.length) return out;
    i++; // past the slash
  }
}

/** Parses the text form; names are checked against the scenario by the caller. */
export function parsePresetRefText(text: string): PresetRefParse {
  const split = parts(text);
  if (typeof split === "string") return { ok: false, expected: split };
  if (split.some((p) => p === "")) return { ok: false, expected: TEXT_EXPECTED };
  const [template = "", second = "", third] = split;
  if (split.length === 2) return { ok: true, ref: { template, preset: second } };
  if (split.length === 3 && third !== undefined)
    return { ok: true, ref: { template, version: second, preset: third } };
  return { ok: false, expected: TEXT_EXPECTED };
}

function quoted(part: string): string {
  return part === "" || part.includes("/") || part.startsWith('"') ? JSON.stringify(part) : part;
}

/** The text form of a reference, quoting only the parts that need it: parsing it gives `ref` back. */
export function formatPresetRef(ref: PresetRef): string {
  const names =
    ref.version === undefined ? [ref.template, ref.preset] : [ref.template, ref.version, ref.preset];
  return names.map(quoted).join("/");
}

/** A reference as trace lines write it: the names joined with `/`, unquoted (`template/preset`, or with its version). */
export function presetRefKey(ref: PresetRef): string {
  return ref.version === undefined
    ? claimKey(ref.template, ref.preset)
    : presetKey(ref.template, ref.version, ref.preset);
}
