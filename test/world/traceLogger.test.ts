import { describe, expect, test } from "vitest";
import type { TraceRecord } from "../../src/trace/trace.ts";
import { TraceLogger } from "../../src/world/traceLogger.ts";

describe("TraceLogger", () => {
  test("warn and above become log lines of the actor; debug and info are dropped", () => {
    const records: TraceRecord[] = [];
    const logger = new TraceLogger("replica-1", (r) => records.push(r));
    logger.debug("noise");
    logger.info("noise");
    logger.warn("w");
    logger.error("e", { preset_id: "p" });
    logger.critical("c");
    expect(records).toEqual([
      { actor: "replica-1", kind: "log", level: "warn", msg: "w" },
      { actor: "replica-1", kind: "log", level: "error", msg: "e", fields: { preset_id: "p" } },
      { actor: "replica-1", kind: "log", level: "critical", msg: "c" },
    ]);
  });

  test("child fields are carried, the child's own win; errors and odd values become plain JSON", () => {
    const records: TraceRecord[] = [];
    const logger = new TraceLogger("x", (r) => records.push(r)).with({
      component: "prebuilds",
      replica: "a",
    });
    logger.warn("m", {
      replica: "b",
      error: new Error("boom"),
      n: Number.NaN,
      big: 10n,
      nested: [new Error("inner")],
    });
    expect(records[0]?.fields).toEqual({
      component: "prebuilds",
      replica: "b",
      error: "boom",
      n: "NaN",
      big: "10",
      nested: ["inner"],
    });
  });
});
