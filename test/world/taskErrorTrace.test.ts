import { expect, test } from "vitest";
import { SECOND } from "../../src/clock/types.ts";
import { Kernel } from "../../src/kernel/index.ts";
import type { TraceRecord } from "../../src/trace/trace.ts";
import { traceTaskErrors } from "../../src/world/taskErrorTrace.ts";
import { START } from "./scenarioFixture.ts";

test("a task that throws becomes a task.error line naming it; tasks that finish cleanly leave none", async () => {
  const kernel = new Kernel({ start: START, onTaskFailure: "record", watchdog: false });
  const records: TraceRecord[] = [];
  traceTaskErrors(kernel, (r) => records.push(r));
  kernel.spawn("fine", async () => {
    await kernel.clock.sleep(SECOND);
  });
  kernel.spawn("provisioner-3", async () => {
    await kernel.clock.sleep(SECOND);
    throw new Error("job vanished");
  });
  await kernel.run();
  expect(records).toEqual([
    { actor: "kernel", kind: "task.error", task: "provisioner-3", error: "job vanished" },
  ]);
  expect(kernel.failures).toHaveLength(1);
});
