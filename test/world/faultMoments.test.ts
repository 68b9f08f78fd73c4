import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import type { Fault } from "../../src/scenario/scenario.ts";
import type { TraceRecord } from "../../src/trace/trace.ts";
import { FaultInjector } from "../../src/world/faults/injector.ts";
import { START } from "./scenarioFixture.ts";

const m = (minutes: number) => START + minutes * MINUTE;

describe("FaultInjector.moments", () => {
  test("windows start before, and end after, everything else at the same instant; ties keep file order", () => {
    const faults: Fault[] = [
      { kind: "notification-queue-full", atOffset: 0, at: m(0), duration: 10 * MINUTE, until: m(10) },
      { kind: "provisioner-outage", atOffset: 10 * MINUTE, at: m(10), duration: MINUTE, until: m(11) },
      {
        kind: "clock-skew",
        atOffset: 10 * MINUTE,
        at: m(10),
        replica: { index: 0, name: "replica-0" },
        offset: 5,
      },
    ];
    const records: TraceRecord[] = [];
    const injector = new FaultInjector({
      clock: { now: () => START } as never,
      database: {} as never,
      replicas: [{ name: "replica-0", clock: { setOffset() {} } } as never],
      emit: (r) => records.push(r),
    });
    for (const moment of injector.moments(faults)) moment.act();
    expect(records.map((r) => [r.kind, r.fault])).toEqual([
      ["fault.start", "notification-queue-full"],
      ["fault.start", "provisioner-outage"],
      ["fault.start", "clock-skew"],
      ["fault.end", "notification-queue-full"],
      ["fault.end", "provisioner-outage"],
    ]);
    expect(records[0]).toMatchObject({ actor: "fault", until: "2026-03-02T06:10:00.000Z" });
    expect(records[2]).toMatchObject({ replica: "replica-0", offset: 5 });
    expect(records[2]).not.toHaveProperty("until");
  });
});
