// The prebuilds settings value (spec §1.6): decoding as Go's json.Unmarshal would, and the
// pause/resume round trip through the site config.
import { describe, expect, test } from "vitest";
import {
  getPrebuildsSettings,
  PrebuildsSettingsParseError,
  parsePrebuildsSettings,
  setPrebuildsReconciliationPaused,
} from "../../src/prebuilds/settings.ts";
import { useDatabase } from "./harness.ts";

const ctx = useDatabase();

describe("parsePrebuildsSettings", () => {
  test.each([
    { text: "", paused: false },
    { text: "{}", paused: false },
    { text: "null", paused: false },
    { text: '{"reconciliation_paused":true}', paused: true },
    { text: '{"reconciliation_paused":false}', paused: false },
    { text: '{"reconciliation_paused":true,"other":1}', paused: true },
  ])("$text ⇒ paused $paused", ({ text, paused }) => {
    expect(parsePrebuildsSettings(text)).toEqual({ reconciliationPaused: paused });
  });

  test.each(["{", "[]", "7", '{"reconciliation_paused":"yes"}'])("%s is an error", (text) => {
    expect(() => parsePrebuildsSettings(text)).toThrow(PrebuildsSettingsParseError);
  });
});

test("pause and resume through the site config", async () => {
  const c = ctx();
  expect(await getPrebuildsSettings(c.store)).toEqual({ reconciliationPaused: false });
  await setPrebuildsReconciliationPaused(c.store, true);
  expect(await c.store.getPrebuildsSettings()).toBe('{"reconciliation_paused":true}');
  expect(await getPrebuildsSettings(c.store)).toEqual({ reconciliationPaused: true });
  await setPrebuildsReconciliationPaused(c.store, false);
  expect(await getPrebuildsSettings(c.store)).toEqual({ reconciliationPaused: false });
});
