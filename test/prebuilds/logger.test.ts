import { describe, expect, it } from "vitest";
import { MemoryLogger, nullLogger } from "../../src/prebuilds/logger.ts";

describe("MemoryLogger", () => {
  it("records every level in order with its fields", () => {
    const log = new MemoryLogger();
    log.debug("d", { a: 1 });
    log.info("i");
    log.warn("w", { b: 2 });
    log.error("e");
    log.critical("c");
    expect(log.entries).toEqual([
      { level: "debug", msg: "d", fields: { a: 1 } },
      { level: "info", msg: "i", fields: {} },
      { level: "warn", msg: "w", fields: { b: 2 } },
      { level: "error", msg: "e", fields: {} },
      { level: "critical", msg: "c", fields: {} },
    ]);
    expect(log.entriesAt("warn").map((e) => e.msg)).toEqual(["w"]);
  });

  it("child loggers add their fields and write to the parent's entries", () => {
    const root = new MemoryLogger();
    const child = root.with({ replica: "r1", preset_id: "p" });
    const grandchild = child.with({ preset_id: "q" });
    grandchild.info("hello", { extra: true });
    root.info("root");
    expect(root.entries).toEqual([
      { level: "info", msg: "hello", fields: { replica: "r1", preset_id: "q", extra: true } },
      { level: "info", msg: "root", fields: {} },
    ]);
    expect(child.entries).toBe(root.entries);
  });
});

describe("nullLogger", () => {
  it("accepts everything and its children are itself", () => {
    nullLogger.error("ignored", { a: 1 });
    expect(nullLogger.with({ a: 1 })).toBe(nullLogger);
  });
});
