// Preset keys as traces, samples and summaries write them: built and taken apart in one place,
// whatever the preset name holds (template and version names never hold a slash).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimKey, presetKey, splitClaimKey, splitPresetKey } from "../../src/trace/presetKey.ts";

const NAME = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/);
const FREE_TEXT = fc.string({ minLength: 1, maxLength: 20 });

describe("preset keys", () => {
  it("joins the names with a slash, unquoted", () => {
    expect(presetKey("dev", "v1", "small")).toBe("dev/v1/small");
    expect(claimKey("ml", "a/b")).toBe("ml/a/b");
  });

  it("splitPresetKey keeps everything after the version as the preset", () => {
    expect(splitPresetKey("ml/brave_turing3/CPU only / small")).toEqual({
      template: "ml",
      version: "brave_turing3",
      preset: "CPU only / small",
    });
    expect(splitClaimKey("ml/CPU only / small")).toEqual({ template: "ml", preset: "CPU only / small" });
  });

  it("a key without its separators is all template", () => {
    expect(splitPresetKey("dev/small")).toEqual({ template: "dev/small", version: "", preset: "" });
    expect(splitClaimKey("dev")).toEqual({ template: "dev", preset: "" });
  });

  it("taking a key apart gives its names back", () => {
    fc.assert(
      fc.property(NAME, NAME, FREE_TEXT, (template, version, preset) => {
        expect(splitPresetKey(presetKey(template, version, preset))).toEqual({ template, version, preset });
        expect(splitClaimKey(claimKey(template, preset))).toEqual({ template, preset });
      }),
    );
  });
});
