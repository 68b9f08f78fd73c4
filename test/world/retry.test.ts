import { describe, expect, test } from "vitest";
import { SECOND } from "../../src/clock/types.ts";
import { DatabaseError } from "../../src/db/errors.ts";
import { Context, Kernel } from "../../src/kernel/index.ts";
import type { TraceRecord } from "../../src/trace/trace.ts";
import { RetryCanceledError, retryOnDatabaseError } from "../../src/world/retry.ts";
import { START } from "./scenarioFixture.ts";

const injected = () =>
  new DatabaseError({
    message: "injected",
    code: "XX000",
    query: "GetUsers",
    connection: "c",
    injected: true,
  });

function setUp() {
  const kernel = new Kernel({ start: START, watchdog: false });
  const records: TraceRecord[] = [];
  const deps = { kernel, clock: kernel.clock, emit: (r: TraceRecord) => records.push(r) };
  return { kernel, records, deps, root: Context.background(kernel) };
}

describe("retryOnDatabaseError", () => {
  test("retries every period after a database error, logging each, until the call succeeds", async () => {
    const { kernel, records, deps, root } = setUp();
    let calls = 0;
    let result: { value: string; at: number } | undefined;
    kernel.spawn("t", async () => {
      const value = await retryOnDatabaseError(deps, root, "operator", "pause", SECOND, async () => {
        calls += 1;
        if (calls < 3) throw injected();
        return "done";
      });
      result = { value, at: kernel.clock.now() };
    });
    await kernel.run();
    expect(result).toEqual({ value: "done", at: START + 2 * SECOND });
    expect(records.map((r) => [r.actor, r.kind, r.msg])).toEqual([
      ["operator", "log", "pause failed; retrying"],
      ["operator", "log", "pause failed; retrying"],
    ]);
  });

  test("with retryAttempts set, the error escapes after that many failed attempts in a row", async () => {
    const { kernel, records, deps, root } = setUp();
    let calls = 0;
    let error: unknown;
    kernel.spawn("t", async () => {
      try {
        await retryOnDatabaseError(
          { ...deps, settings: { retryAttempts: 3 } },
          root,
          "a",
          "x",
          SECOND,
          async () => {
            calls += 1;
            throw injected();
          },
        );
      } catch (err) {
        error = err;
      }
    });
    await kernel.run();
    expect(error).toBeInstanceOf(DatabaseError);
    expect(calls).toBe(3);
    expect(records).toHaveLength(2);
    expect(kernel.clock.now()).toBe(START + 2 * SECOND);
  });

  test("other errors are not retried", async () => {
    const { kernel, deps, root } = setUp();
    let error: unknown;
    kernel.spawn("t", async () => {
      try {
        await retryOnDatabaseError(deps, root, "a", "x", SECOND, async () => {
          throw new TypeError("bug");
        });
      } catch (err) {
        error = err;
      }
    });
    await kernel.run();
    expect(error).toBeInstanceOf(TypeError);
  });

  test("a canceled context ends the wait with RetryCanceledError", async () => {
    const { kernel, deps, root } = setUp();
    const { ctx, cancel } = root.withCancel("run");
    let error: unknown;
    kernel.spawn("t", async () => {
      try {
        await retryOnDatabaseError(deps, ctx, "a", "x", SECOND, async () => {
          throw injected();
        });
      } catch (err) {
        error = err;
      }
    });
    kernel.spawn("canceler", async () => {
      await kernel.clock.sleep(SECOND / 2);
      cancel();
    });
    await kernel.run();
    expect(error).toBeInstanceOf(RetryCanceledError);
  });
});
