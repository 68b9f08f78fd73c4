// Presets, versions and templates the failure does not need: each template dropped, then each
// version that is not the only one, then each preset; then a preset's pool halved and its optional
// parts (schedules, drift, its own failure rate, TTL, parameters) dropped. A candidate that leaves
// a dangling reference (a claim stream naming a dropped preset, a promotion of a dropped version)
// is refused by the loader and costs no run.
import { type Data, isData, listAt } from "../data.ts";
import { type Candidate, change, edited, type Reduction, type ShrinkState } from "../reduction.ts";

const OPTIONAL_PRESET_PARTS = ["scheduling", "drift", "failureRate", "ttl", "parameters"] as const;

interface PresetPlace {
  t: number;
  v: number;
  p: number;
  label: string;
}

function name(value: unknown): string {
  return isData(value) ? String(value.name) : "?";
}

/** Every preset of the data with where it is. */
export function presetPlaces(data: Data): PresetPlace[] {
  const places: PresetPlace[] = [];
  listAt(data, "templates").forEach((template, t) => {
    if (!isData(template)) return;
    listAt(template, "versions").forEach((version, v) => {
      if (!isData(version)) return;
      listAt(version, "presets").forEach((preset, p) => {
        places.push({ t, v, p, label: `${name(template)}/${name(version)}/${name(preset)}` });
      });
    });
  });
  return places;
}

function editPreset(
  state: ShrinkState,
  at: PresetPlace,
  edit: (presets: unknown[], preset: Data) => void,
): Data {
  return edited(state, (copy) => {
    const template = listAt(copy, "templates")[at.t] as Data;
    const version = listAt(template, "versions")[at.v] as Data;
    const presets = listAt(version, "presets");
    edit(presets, presets[at.p] as Data);
  });
}

function templateCandidates(state: ShrinkState): Candidate[] {
  const out: Candidate[] = [];
  const templates = listAt(state.data, "templates");
  templates.forEach((template, t) => {
    if (templates.length > 1) {
      const copy = edited(state, (c) => listAt(c, "templates").splice(t, 1));
      out.push(change(state, `drop template ${name(template)}`, copy));
    }
    if (!isData(template)) return;
    const versions = listAt(template, "versions");
    if (versions.length < 2) return;
    versions.forEach((version, v) => {
      const copy = edited(state, (c) => listAt(listAt(c, "templates")[t] as Data, "versions").splice(v, 1));
      out.push(change(state, `drop version ${name(template)}/${name(version)}`, copy));
    });
  });
  return out;
}

export const presetReductions: Reduction = {
  name: "presets",
  candidates(state) {
    const out = templateCandidates(state);
    const places = presetPlaces(state.data);
    for (const at of places)
      out.push(
        change(
          state,
          `drop preset ${at.label}`,
          editPreset(state, at, (presets) => presets.splice(at.p, 1)),
        ),
      );
    for (const at of places) {
      const preset = getPreset(state.data, at);
      const desired = preset.desiredInstances;
      if (typeof desired === "number" && desired > 1) {
        const half = Math.floor(desired / 2);
        out.push(
          change(
            state,
            `halve the pool of ${at.label}: desiredInstances ${desired} -> ${half}`,
            editPreset(state, at, (_, p) => {
              p.desiredInstances = half;
            }),
          ),
        );
      }
      for (const part of OPTIONAL_PRESET_PARTS) {
        if (preset[part] === undefined) continue;
        out.push(
          change(
            state,
            `drop ${part} of ${at.label}`,
            editPreset(state, at, (_, p) => {
              delete p[part];
            }),
          ),
        );
      }
    }
    return out;
  },
};

function getPreset(data: Data, at: PresetPlace): Data {
  const template = listAt(data, "templates")[at.t] as Data;
  const version = listAt(template, "versions")[at.v] as Data;
  const preset = listAt(version, "presets")[at.p];
  return isData(preset) ? preset : {};
}
