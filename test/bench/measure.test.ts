import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { referenceScenario } from "../../bench/e2e.bench.ts";
import { pgliteShare, splitOf } from "../../bench/measure/cpuSplit.ts";
import { POINTS } from "../../bench/measure/points.ts";

const node = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url } });

describe("bench CPU split", () => {
  test("samples go to PGlite (its package, WASM), GC, the harness by source folder; idle is left out", () => {
    const profile = {
      nodes: [
        node(1, "(idle)", ""),
        node(2, "execProtocolRawSync", "file:///x/node_modules/@electric-sql/pglite/dist/chunk.js"),
        node(3, "wasm-function[2977]", "wasm://wasm/022a9842"),
        node(4, "(garbage collector)", ""),
        node(5, "emit", "file:///x/src/trace/trace.ts"),
        node(6, "run", "file:///x/bench/measure/runPoint.ts"),
      ],
      samples: [1, 2, 3, 3, 4, 5, 6],
      timeDeltas: [5000, 1000, 1000, 1000, 1000, 2000, 1000],
    };
    const split = splitOf(profile);
    expect(split).toEqual({ "pglite-js": 1, "pglite-wasm": 2, gc: 1, "src/trace": 2, "bench/measure": 1 });
    expect(pgliteShare(split)).toBeCloseTo(3 / 7);
  });
});

describe("bench deployments", () => {
  test("the reference shape is one template of 10 presets; 1,000 presets are 100 templates of 10", () => {
    const reference = parse(referenceScenario("r", "PT1H"));
    expect(reference.templates.map((t: { name: string }) => t.name)).toEqual(["dev"]);
    expect(reference.workload.claims).toHaveLength(10);
    const point = POINTS["presets-1000"]!;
    const big = parse(referenceScenario("b", point.duration, point.shape));
    expect(big.templates).toHaveLength(100);
    expect(big.templates[99].name).toBe("dev99");
    expect(big.templates[99].versions[0].presets).toHaveLength(10);
    expect(big.provisioners.daemons).toBe(250);
    expect(big.replicas.count).toBe(1);
    expect(big.workload.claims).toEqual([]);
  });
});
