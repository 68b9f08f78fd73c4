// The worked examples of spec §3.9 ("running" = non-expired running; actual = running + expired).
import { describe, expect, it } from "vitest";
import { HOUR, SECOND } from "../../src/clock/types.ts";
import { MemoryLogger } from "../../src/prebuilds/logger.ts";
import { PresetSnapshot } from "../../src/prebuilds/presetSnapshot.ts";
import {
  createAction,
  deleteAction,
  type ReconciliationActions,
} from "../../src/prebuilds/reconciliationActions.ts";
import { inProgress, optionSet0, preset, runningPrebuilds, TestClock } from "./fixtures.ts";

const clock = new TestClock();

interface Example {
  name: string;
  desired: number;
  running: number;
  expired: number;
  starting: number;
  stopping: number;
  deleting: number;
  /** Expired rows are `exp-i`; non-expired rows `ws-i`, ws-0 being the oldest. */
  actions: ReconciliationActions[];
}

const examples: Example[] = [
  {
    name: "desired 3, running 1, starting 2: none (1 + 2 ≥ 3)",
    desired: 3,
    running: 1,
    expired: 0,
    starting: 2,
    stopping: 0,
    deleting: 0,
    actions: [],
  },
  {
    name: "desired 3, running 5, deleting 2: delete the 2 oldest (deleting is ignored)",
    desired: 3,
    running: 5,
    expired: 0,
    starting: 0,
    stopping: 0,
    deleting: 2,
    actions: [deleteAction(["ws-0", "ws-1"])],
  },
  {
    name: "desired 2, running 4, expired 1: delete the expired, then the 2 oldest",
    desired: 2,
    running: 4,
    expired: 1,
    starting: 0,
    stopping: 0,
    deleting: 0,
    actions: [deleteAction(["exp-0"]), deleteAction(["ws-0", "ws-1"])],
  },
  {
    name: "desired 2, running 3, expired 1: delete the expired, then the oldest",
    desired: 2,
    running: 3,
    expired: 1,
    starting: 0,
    stopping: 0,
    deleting: 0,
    actions: [deleteAction(["exp-0"]), deleteAction(["ws-0"])],
  },
  {
    name: "desired 2, running 1, expired 1: delete the expired, create 1",
    desired: 2,
    running: 1,
    expired: 1,
    starting: 0,
    stopping: 0,
    deleting: 0,
    actions: [deleteAction(["exp-0"]), createAction(1)],
  },
  {
    name: "desired 1, stopping 1: create 1 (stopping does not count)",
    desired: 1,
    running: 0,
    expired: 0,
    starting: 0,
    stopping: 1,
    deleting: 0,
    actions: [createAction(1)],
  },
];

describe("spec §3.9 worked examples", () => {
  it.each(examples)("$name", (ex) => {
    // ws-0 is the oldest, and the list is given newest first, so the delete order shows the age sort.
    const running = runningPrebuilds(
      optionSet0,
      ex.running,
      (i) => clock.now() - (ex.running - i) * HOUR,
    ).reverse();
    const expired = runningPrebuilds(optionSet0, ex.expired, () => clock.now() - 100 * HOUR, "exp");
    const progress = [
      inProgress(optionSet0, "start", ex.starting),
      inProgress(optionSet0, "stop", ex.stopping),
      inProgress(optionSet0, "delete", ex.deleting),
    ].filter((p) => p.count > 0);
    const ps = new PresetSnapshot({
      preset: preset(true, ex.desired, optionSet0),
      prebuildSchedules: [],
      running,
      expired,
      inProgress: progress,
      pendingCount: 0,
      backoff: null,
      isHardLimited: false,
      clock,
      logger: new MemoryLogger(),
    });
    expect(ps.calculateActions(SECOND)).toEqual(ex.actions);
  });
});
