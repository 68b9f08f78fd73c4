// Turns the run's timeline (operator actions, fault windows, violations) into the frame's markers,
// choosing for each chart the ones that concern it: a preset chart shows its template's operator
// actions and the faults that can touch its builds; the lock chart the faults aimed at replicas.
import { claimKey } from "../../trace/presetKey.ts";
import type { PlacedViolation } from "../runModel.ts";
import type { FaultWindow, OperatorMark } from "../traceDigest.ts";
import type { EventMarker, ViolationMarker, WindowMarker } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";

/** Where a violation's anchor is, seen from the chart: `#violation-1` inline, `../report.html#…` from a file. */
export type HrefFor = (anchor: string) => string;

export function operatorEvents(marks: readonly OperatorMark[], withTemplate: boolean): EventMarker[] {
  return marks.map((m) => ({
    t: m.t,
    label: withTemplate && m.template !== undefined ? `${m.template}: ${m.label}` : m.label,
    color: COLORS.operator,
    dash: true,
  }));
}

/** Operator actions that change what a preset's reconciliation does. */
export function operatorMarksFor(
  marks: readonly OperatorMark[],
  key: string,
  template: string,
  preset: string,
): OperatorMark[] {
  return marks.filter((m) => {
    if (m.action === "pause") return true;
    if (m.action === "setDesired") return m.preset === key || m.preset === claimKey(template, preset);
    return m.template === template;
  });
}

function faultLabel(f: FaultWindow): string {
  const label = f.replica === undefined ? f.fault : `${f.fault} (replica ${f.replica})`;
  return f.noop === true ? `${label}, no effect` : label;
}

function faultMarker(f: FaultWindow): WindowMarker {
  const marker: WindowMarker = { from: f.from, to: f.to, kind: "fault", label: faultLabel(f) };
  if (f.noop === true) marker.noop = true;
  return marker;
}

type PresetRef = { key: string; short: string };

/** A fault aimed at no preset, or at this one. */
function aimsAt(f: FaultWindow, preset: PresetRef): boolean {
  return f.preset === undefined || f.preset === preset.key || f.preset === preset.short;
}

/** Faults not aimed at a replica and, when aimed at a preset, aimed at this one (or any, without a key). */
export function buildFaults(faults: readonly FaultWindow[], preset?: PresetRef): WindowMarker[] {
  return faults
    .filter((f) => f.replica === undefined && (preset === undefined || aimsAt(f, preset)))
    .map(faultMarker);
}

/**
 * The faults that touched a preset: those of `buildFaults`, and every replica fault — a lost lock,
 * a crash or a skewed clock interrupts or shifts the cycles that reconcile every preset.
 */
export function presetFaults(faults: readonly FaultWindow[], preset: PresetRef): WindowMarker[] {
  return faults.filter((f) => f.replica !== undefined || aimsAt(f, preset)).map(faultMarker);
}

/** Faults aimed at a replica, shaded in that replica's lane. */
export function replicaFaults(faults: readonly FaultWindow[], replicas: readonly string[]): WindowMarker[] {
  const out: WindowMarker[] = [];
  for (const f of faults) {
    if (f.replica === undefined) continue;
    const lane =
      typeof f.replica === "number"
        ? (replicas.find((r) => r === `replica-${f.replica}`) ?? replicas[f.replica])
        : (replicas.find((r) => r === f.replica || r === `replica-${f.replica}`) ?? undefined);
    const marker = faultMarker(f);
    if (lane !== undefined) marker.lane = lane;
    out.push(marker);
  }
  return out;
}

export function violationMarkers(
  violations: readonly PlacedViolation[],
  chartId: string,
  href: HrefFor,
): ViolationMarker[] {
  return violations
    .filter((v) => v.chartId === chartId)
    .map((v) => {
      const marker: ViolationMarker = {
        t: v.at,
        href: href(v.anchor),
        title: `${v.allowed ? "allowed break" : "violation"} of ${v.violation.invariant}: ${v.violation.message}`,
        color: v.allowed ? COLORS.allowed : COLORS.violation,
      };
      if (v.lane !== undefined) marker.lane = v.lane;
      return marker;
    });
}
