// Kernel tasks that threw, as `task.error` trace lines at the instant they failed (the `no-crash`
// invariant). Names come from the spawn events: later kernel events carry only task ids.
import type { Kernel } from "../kernel/index.ts";
import type { TraceRecord } from "../trace/trace.ts";

/** Records every task failure from now on; returns the function that stops recording. */
export function traceTaskErrors(kernel: Kernel, emit: (record: TraceRecord) => void): () => void {
  const names = new Map<number, string>();
  // Only spawn and finish: asking for every event would make the kernel build one per step.
  return kernel.onEvent(
    (e) => {
      if (e.kind === "spawn") {
        names.set(e.task, e.name);
      } else if (e.kind === "finish") {
        if (e.error !== undefined) {
          emit({
            actor: "kernel",
            kind: "task.error",
            task: names.get(e.task) ?? `#${e.task}`,
            error: e.error,
          });
        }
        names.delete(e.task);
      }
    },
    ["spawn", "finish"],
  );
}
