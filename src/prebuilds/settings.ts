// The deployment-wide prebuilds settings (spec §1.6): one site-config JSON value,
// `{"reconciliation_paused": bool}`, read at the start of every cycle and written by
// `coder prebuilds pause|resume` (the world's operator).
import type { Store } from "../db/store.ts";
import { wrapError } from "./errors.ts";

export interface PrebuildsSettings {
  readonly reconciliationPaused: boolean;
}

export const DEFAULT_PREBUILDS_SETTINGS: PrebuildsSettings = { reconciliationPaused: false };

export class PrebuildsSettingsParseError extends Error {
  override readonly name = "PrebuildsSettingsParseError";
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`unmarshal prebuilds settings ${JSON.stringify(text)}: ${reason}`);
  }
}

/**
 * Decodes the stored value as Go's json.Unmarshal into the settings struct would: an empty string
 * or `null` gives the defaults, unknown keys are ignored, a wrongly typed flag or non-object JSON
 * is an error.
 */
export function parsePrebuildsSettings(text: string): PrebuildsSettings {
  if (text === "") return DEFAULT_PREBUILDS_SETTINGS;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PrebuildsSettingsParseError(text, (err as Error).message);
  }
  if (value === null) return DEFAULT_PREBUILDS_SETTINGS;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new PrebuildsSettingsParseError(text, "expected a JSON object");
  }
  const paused = (value as Record<string, unknown>).reconciliation_paused;
  if (paused === undefined || paused === null) return DEFAULT_PREBUILDS_SETTINGS;
  if (typeof paused !== "boolean") {
    throw new PrebuildsSettingsParseError(text, "reconciliation_paused must be a boolean");
  }
  return { reconciliationPaused: paused };
}

export function formatPrebuildsSettings(settings: PrebuildsSettings): string {
  return JSON.stringify({ reconciliation_paused: settings.reconciliationPaused });
}

/** Reads and decodes the settings; rejects on a database or decoding error. */
export async function getPrebuildsSettings(store: Store): Promise<PrebuildsSettings> {
  let text: string;
  try {
    text = await store.getPrebuildsSettings();
  } catch (err) {
    throw wrapError("get prebuilds settings", err);
  }
  return parsePrebuildsSettings(text);
}

/** Upstream `SetPrebuildsReconciliationPaused`: takes effect at the next cycle's start. */
export async function setPrebuildsReconciliationPaused(store: Store, paused: boolean): Promise<void> {
  await store.upsertPrebuildsSettings(formatPrebuildsSettings({ reconciliationPaused: paused }));
}
