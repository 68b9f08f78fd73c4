// `no-crash` (safety): no kernel task ended with an unexpected error. The reconciler's own logged
// errors are part of its normal behaviour and are not crashes.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";

export class NoCrash implements InvariantChecker {
  readonly name = "no-crash";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine): void {
    if (!isKind(line, "task.error")) return;
    this.#log.add(instantOf(line), line.task, `task ${line.task} threw: ${line.error}`, [line.seq]);
  }

  finish(): void {}
}
