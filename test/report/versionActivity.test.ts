import { describe, expect, it } from "vitest";
import type { OperatorMark } from "../../src/report/traceDigest.ts";
import { inactivePeriods } from "../../src/report/versionActivity.ts";

const mark = (t: number, action: string, template: string, version?: string): OperatorMark => ({
  t,
  line: t,
  action,
  label: action,
  template,
  ...(version === undefined ? {} : { version }),
});

describe("inactivePeriods", () => {
  const promoteV2 = [mark(60, "promote", "dev", "v2")];
  it.each([
    ["the old version after a promotion", "v1", true, promoteV2, [{ from: 60, to: 180 }]],
    ["the new version before its promotion", "v2", false, promoteV2, [{ from: 0, to: 60 }]],
    ["a version never promoted and never active", "v3", false, promoteV2, [{ from: 0, to: 180 }]],
    ["the active version of another template's promotion", "v1", true, [mark(60, "promote", "ml", "v2")], []],
    [
      "a version promoted back",
      "v1",
      true,
      [mark(60, "promote", "dev", "v2"), mark(100, "promote", "dev", "v1")],
      [{ from: 60, to: 100 }],
    ],
    [
      "every version once the template is deprecated",
      "v1",
      true,
      [mark(120, "deprecate", "dev"), mark(150, "promote", "dev", "v1")],
      [{ from: 120, to: 180 }],
    ],
  ])("%s", (_, version, activeAtStart, marks, expected) => {
    expect(inactivePeriods("dev", version, activeAtStart, marks, 0, 180)).toEqual(expected);
  });
});
