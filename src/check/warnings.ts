// Warnings: states Coder's reconciler only logs as an error and then works around, every cycle,
// without anything failing — a preset's schedules ignored (no or an unknown time zone, schedules
// the Terraform helper finds invalid or overlapping), one schedule skipped (the time-range parser
// refuses it), or a preset whose prebuilds fail parameter validation and are never created again
// (`validation_failed`: required parameters missing, …). Upstream an operator finds them only in
// the logs; here they are listed in summary.json, the command's summary line and the report.
import type { TraceLine } from "../trace/trace.ts";
import { isoInstant } from "./invariant.ts";
import { instantOf, isKind } from "./lines.ts";
import type { RunModel } from "./runModel.ts";
import type { Warning } from "./summary.ts";

/** The reconciler's error messages that mean "configuration unusable, skipped", and what follows. */
const SKIPPED_STATES: Readonly<Record<string, string>> = {
  "timezone is not set in prebuild scheduling configuration":
    "the preset's schedules are ignored every cycle; desiredInstances applies instead",
  "invalid timezone in prebuild scheduling configuration":
    "the preset's schedules are ignored every cycle; desiredInstances applies instead",
  "schedules are invalid or overlap with each other":
    "the preset's schedules are ignored every cycle; desiredInstances applies instead",
  "cron expression is invalid":
    "this schedule is skipped every cycle; the preset's other schedules still apply",
};

const VALIDATION_FAILED =
  "prebuilds of this preset fail validation and are never created again (status validation_failed)";

/** How many trace lines a warning cites; `occurrences` counts them all. */
const MAX_CITED_LINES = 10;

interface Pending {
  /** A preset id while the run has not yet named the preset, else its key. */
  readonly presetRef: string;
  readonly message: string;
  readonly at: number;
  readonly lines: number[];
  occurrences: number;
}

export class ReconcilerWarnings {
  readonly #pending = new Map<string, Pending>();
  /** Per preset id: the last "failed to create prebuild" error line, the evidence of a validation failure. */
  readonly #lastCreateError = new Map<string, { line: number; error: string }>();

  observe(line: TraceLine): void {
    if (isKind(line, "log")) this.#observeLog(line);
    else if (isKind(line, "preset.status") && line.status === "validation_failed") {
      const cause = this.#lastCreateError.get(line.presetId);
      const message = cause === undefined ? VALIDATION_FAILED : `${VALIDATION_FAILED}: ${cause.error}`;
      this.#add(line.presetId, message, line, cause?.line);
    }
  }

  #observeLog(line: TraceLine & { level: string; msg: string; fields?: Record<string, unknown> }): void {
    if (line.level !== "error") return;
    const fields = line.fields ?? {};
    const presetId = typeof fields.preset_id === "string" ? fields.preset_id : undefined;
    const error = typeof fields.error === "string" ? fields.error : undefined;
    if (line.msg === "failed to create prebuild") {
      // The reconciler's logger carries the preset it is working on.
      if (presetId !== undefined && error !== undefined)
        this.#lastCreateError.set(presetId, { line: line.seq, error });
      return;
    }
    const consequence = SKIPPED_STATES[line.msg];
    if (consequence === undefined || presetId === undefined) return;
    const what = [
      error,
      typeof fields.cron_expression === "string" ? `(${fields.cron_expression})` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(" ");
    this.#add(presetId, `${line.msg}${what === "" ? "" : `: ${what}`} — ${consequence}`, line);
  }

  #add(presetRef: string, message: string, line: TraceLine, causeLine?: number): void {
    const key = JSON.stringify([presetRef, message]);
    const known = this.#pending.get(key);
    if (known !== undefined) {
      known.occurrences++;
      if (known.lines.length < MAX_CITED_LINES) known.lines.push(line.seq);
      return;
    }
    const lines = causeLine === undefined ? [line.seq] : [causeLine, line.seq];
    this.#pending.set(key, { presetRef, message, at: instantOf(line), lines, occurrences: 1 });
  }

  /** The warnings in order of first occurrence, subjects as `template/version/preset` keys. */
  finish(model: RunModel): Warning[] {
    return [...this.#pending.values()].map((p) => ({
      at: isoInstant(p.at),
      subject: model.presetKey(p.presetRef) ?? p.presetRef,
      message: p.message,
      occurrences: p.occurrences,
      traceLines: p.lines,
    }));
  }
}
