import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import type { Fault } from "../../src/scenario/scenario.ts";
import { FaultWindows } from "../../src/world/faultWindows.ts";
import { START } from "./scenarioFixture.ts";

function outage(fromMin: number, minutes: number): Fault {
  const at = START + fromMin * MINUTE;
  return {
    kind: "provisioner-outage",
    atOffset: fromMin * MINUTE,
    at,
    duration: minutes * MINUTE,
    until: at + minutes * MINUTE,
  };
}

const m = (minutes: number) => START + minutes * MINUTE;

describe("FaultWindows.outageEnd", () => {
  const windows = new FaultWindows([outage(10, 5), outage(14, 6), outage(30, 5)]);

  test("null outside every outage", () => {
    expect(windows.outageEnd(m(9))).toBeNull();
    expect(windows.outageEnd(m(20))).toBeNull();
    expect(windows.outageEnd(m(29))).toBeNull();
  });

  test("overlapping windows are one outage that ends with the last of them", () => {
    expect(windows.outageEnd(m(10))).toBe(m(20));
    expect(windows.outageEnd(m(14) + 1)).toBe(m(20));
  });

  test("windows are [at, until): the end instant is already outside", () => {
    expect(windows.outageEnd(m(35) - 1)).toBe(m(35));
    expect(windows.outageEnd(m(35))).toBeNull();
  });

  test("back-to-back windows chain", () => {
    expect(new FaultWindows([outage(0, 5), outage(5, 5)]).outageEnd(m(1))).toBe(m(10));
  });
});

describe("FaultWindows.notificationsRefused", () => {
  const w: Fault = { kind: "notification-queue-full", atOffset: 0, at: m(5), duration: MINUTE, until: m(6) };
  const windows = new FaultWindows([w, outage(0, 60)]);

  test("only inside a notification-queue-full window, whatever else is going on", () => {
    expect(windows.notificationsRefused(m(5) - 1)).toBe(false);
    expect(windows.notificationsRefused(m(5))).toBe(true);
    expect(windows.notificationsRefused(m(6))).toBe(false);
  });
});
