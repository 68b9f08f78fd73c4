import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventHeap, ScheduledEvent } from "../../src/clock/event-heap.ts";

class Probe extends ScheduledEvent {
  constructor(readonly id: number) {
    super();
  }
  fire(): void {}
  describe(): string {
    return `probe ${this.id}`;
  }
}

describe("event heap", () => {
  it("pops events in (instant, sequence) order whatever the insertion and removal order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 20 }), removed: fc.boolean() }), {
          maxLength: 60,
        }),
        (specs) => {
          const heap = new EventHeap();
          const events = specs.map((s, i) => {
            const e = new Probe(i);
            e.at = s.at;
            e.seq = i;
            heap.push(e);
            return e;
          });
          specs.forEach((s, i) => {
            if (s.removed) heap.remove(events[i] as Probe);
          });
          const expected = events
            .filter((_, i) => !specs[i]?.removed)
            .sort((a, b) => a.at - b.at || a.seq - b.seq)
            .map((e) => e.id);
          const popped: number[] = [];
          for (let e = heap.pop(); e; e = heap.pop()) popped.push((e as Probe).id);
          expect(popped).toEqual(expected);
          expect(events.every((e) => !e.scheduled)).toBe(true);
        },
      ),
    );
  });

  it("refuses to schedule an event twice", () => {
    const heap = new EventHeap();
    const e = new Probe(1);
    heap.push(e);
    expect(() => heap.push(e)).toThrow("event heap: probe 1 is already scheduled");
  });
});
