// How traces, samples and summaries name a preset: `template/version/preset`, and a claim's
// `template/preset` (people claim on the active version). Template and version names never contain
// `/` (scenario/names.ts), so everything after the separators they need is the preset, whatever it
// contains. Built and taken apart only here.

/** The key of a preset in traces, samples and results. */
export function presetKey(template: string, version: string, preset: string): string {
  return `${template}/${version}/${preset}`;
}

/** The key a claim names its preset by in `claim.*` lines. */
export function claimKey(template: string, preset: string): string {
  return `${template}/${preset}`;
}

/** `template/version/preset` as traces and summaries write it, taken apart. */
export function splitPresetKey(key: string): { template: string; version: string; preset: string } {
  const first = key.indexOf("/");
  const second = first === -1 ? -1 : key.indexOf("/", first + 1);
  if (second === -1) return { template: key, version: "", preset: "" };
  return {
    template: key.slice(0, first),
    version: key.slice(first + 1, second),
    preset: key.slice(second + 1),
  };
}

/** `template/preset` as claim trace lines write it, taken apart. */
export function splitClaimKey(key: string): { template: string; preset: string } {
  const first = key.indexOf("/");
  return first === -1
    ? { template: key, preset: "" }
    : { template: key.slice(0, first), preset: key.slice(first + 1) };
}
