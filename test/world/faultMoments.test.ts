import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import type { Fault } from "../../src/scenario/scenario.ts";
import type { TraceRecord } from "../../src/trace/trace.ts";
import { FaultInjector } from "../../src/world/faults/injector.ts";
import { FaultWindows } from "../../src/world/faultWindows.ts";
import { Perturbations } from "../../src/world/perturbations.ts";
import { QueueDepth } from "../../src/world/queueDepth.ts";
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
    const injector = new FaultInjector(
      {
        kernel: {} as never,
        ctx: {} as never,
        clock: { now: () => START } as never,
        database: { locks: { subscribe() {} }, faults: { onStatement() {}, subscribe() {} } } as never,
        faults: new FaultWindows(faults),
        queue: new QueueDepth(),
        emit: (r) => records.push(r),
        stream: () => ({}) as never,
        perturbations: new Perturbations(),
      },
      { replicas: [{ name: "replica-0", clock: { offset: 0, setOffset() {} } } as never] },
    );
    for (const moment of injector.moments(faults)) moment.act();
    // Nothing ran: the two windows did nothing; the skew changed the replica's clock.
    expect(
      records
        .filter((r) => r.kind === "fault.noop" || r.kind === "fault.effect")
        .map((r) => [r.kind, r.fault, r.index]),
    ).toEqual([
      ["fault.effect", "clock-skew", 2],
      ["fault.noop", "notification-queue-full", 0],
      ["fault.noop", "provisioner-outage", 1],
    ]);
    expect(
      records
        .filter((r) => r.kind.startsWith("fault.start") || r.kind === "fault.end")
        .map((r) => [r.kind, r.fault]),
    ).toEqual([
      ["fault.start", "notification-queue-full"],
      ["fault.start", "provisioner-outage"],
      ["fault.start", "clock-skew"],
      ["fault.end", "notification-queue-full"],
      ["fault.end", "provisioner-outage"],
    ]);
    const starts = records.filter((r) => r.kind === "fault.start");
    expect(starts[0]).toMatchObject({ actor: "fault", index: 0, until: "2026-03-02T06:10:00.000Z" });
    expect(starts[2]).toMatchObject({ replica: "replica-0", offset: 5 });
    expect(starts[2]).not.toHaveProperty("until");
  });
});
