// `single-lock-holder` (safety): at no instant do two connections hold the same advisory lock.
// Leases are read from the lock manager's events: a lease ends with its release or with the loss of
// its connection, and only then may another connection acquire the lock.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";

interface Lease {
  connection: string;
  line: number;
}

export class SingleLockHolder implements InvariantChecker {
  readonly name = "single-lock-holder";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  readonly #holders = new Map<number, Lease>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine): void {
    if (isKind(line, "lock.acquire")) {
      const held = this.#holders.get(line.lock);
      if (held !== undefined && held.connection !== line.connection) {
        this.#log.add(
          instantOf(line),
          line.connection,
          `${line.connection} acquired lock ${line.lock} while ${held.connection} still held it`,
          [held.line, line.seq],
        );
      }
      // A re-entrant acquire by the holder keeps the original lease.
      if (held === undefined || held.connection !== line.connection)
        this.#holders.set(line.lock, { connection: line.connection, line: line.seq });
    } else if (isKind(line, "lock.release") || isKind(line, "lock.lost")) {
      if (this.#holders.get(line.lock)?.connection === line.connection) this.#holders.delete(line.lock);
    }
  }

  finish(): void {}
}
