// run --metrics-out: the replicas' Coder metrics at every sample as OpenMetrics, checked with a
// strict parser (test/world/openMetricsParser.ts); recording them leaves the run as it was.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { MetricName } from "../../src/prebuilds/metricsCollector.ts";
import type { ReplicaRef } from "../../src/scenario/scenario.ts";
import type { MetricsSeries } from "../../src/world/metricsRecorder.ts";
import { familyName, formatTimestamp, renderOpenMetrics } from "../../src/world/openMetrics.ts";
import { simulate } from "../../src/world/simulate.ts";
import { parseOpenMetrics } from "./openMetricsParser.ts";
import { devTemplate, preset, START, scenario } from "./scenarioFixture.ts";

describe("renderOpenMetrics", () => {
  const metrics: MetricsSeries = {
    sampleEvery: MINUTE,
    families: [
      {
        name: "x_created_total",
        type: "counter",
        help: 'made "here"\\ there',
        series: [
          {
            name: "x_created_total",
            labels: { instance: "r-0", template_name: 'a"b\\c\nd' },
            points: [
              { t: START + 1500, value: 1 },
              { t: START, value: 0 },
            ],
          },
        ],
      },
      {
        name: "d_seconds",
        type: "histogram",
        help: "durations",
        series: [
          {
            name: "d_seconds_bucket",
            labels: { le: "+Inf", instance: "r-0" },
            points: [
              { t: START, value: 2 },
              { t: START + MINUTE, value: 3 },
            ],
          },
          {
            name: "d_seconds_sum",
            labels: { instance: "r-0" },
            points: [
              { t: START, value: 0.5 },
              { t: START + MINUTE, value: 0.75 },
            ],
          },
          {
            name: "d_seconds_count",
            labels: { instance: "r-0" },
            points: [
              { t: START, value: 2 },
              { t: START + MINUTE, value: 3 },
            ],
          },
          {
            name: "d_seconds_bucket",
            labels: { le: "0.1", instance: "r-0" },
            points: [
              { t: START, value: 1 },
              { t: START + MINUTE, value: 1 },
            ],
          },
        ],
      },
      {
        name: "g",
        type: "gauge",
        help: "",
        series: [{ name: "g", labels: {}, points: [{ t: START, value: Number.NaN }] }],
      },
    ],
  };
  const text = renderOpenMetrics(metrics);
  const s = formatTimestamp(START);

  test("a counter's family has no _total, its samples do; labels and help escaped; points in time order", () => {
    expect(text.split("\n").slice(0, 4)).toEqual([
      `# TYPE d_seconds histogram`,
      `# HELP d_seconds durations`,
      `d_seconds_bucket{instance="r-0",le="0.1"} 1 ${s}`,
      `d_seconds_bucket{instance="r-0",le="+Inf"} 2 ${s}`,
    ]);
    expect(text).toContain(
      `# TYPE x_created counter\n# HELP x_created made \\"here\\"\\\\ there\nx_created_total{instance="r-0",template_name="a\\"b\\\\c\\nd"} 0 ${s}\nx_created_total{instance="r-0",template_name="a\\"b\\\\c\\nd"} 1 ${formatTimestamp(START + 1500)}\n`,
    );
    expect(text).toContain(`# TYPE g gauge\ng NaN ${s}\n# TYPE x_created counter`);
    expect(text.endsWith("\n# EOF\n")).toBe(true);
  });

  test("a histogram point's buckets, count and sum stay together, point after point", () => {
    const lines = text.split("\n").filter((l) => l.startsWith("d_seconds"));
    expect(
      lines.map(
        (l) =>
          l.split(" ")[0]?.replace(/\{.*/, "") + (l.includes("le=") ? `:${/le="([^"]+)"/.exec(l)?.[1]}` : ""),
      ),
    ).toEqual([
      "d_seconds_bucket:0.1",
      "d_seconds_bucket:+Inf",
      "d_seconds_count",
      "d_seconds_sum",
      "d_seconds_bucket:0.1",
      "d_seconds_bucket:+Inf",
      "d_seconds_count",
      "d_seconds_sum",
    ]);
    expect(() => parseOpenMetrics(text)).not.toThrow();
  });

  test("timestamps are exact seconds", () => {
    expect(formatTimestamp(1_700_000_000_000)).toBe("1700000000");
    expect(formatTimestamp(1_700_000_000_250)).toBe("1700000000.25");
    expect(formatTimestamp(1_700_000_000_007)).toBe("1700000000.007");
    expect(familyName({ name: "a_total", type: "counter" })).toBe("a");
    expect(familyName({ name: "a_total", type: "gauge" })).toBe("a_total");
  });

  test("the parser has teeth", () => {
    expect(() => parseOpenMetrics(text.replace("# EOF\n", ""))).toThrow("# EOF");
    expect(() =>
      parseOpenMetrics(
        text.replace(
          "# TYPE x_created counter\n# HELP x_created",
          "# TYPE x_created_total counter\n# HELP x_created_total",
        ),
      ),
    ).toThrow("not a sample");
    const [first, ...rest] = text.split("\n").filter((l) => l.startsWith("x_created_total"));
    expect(() => parseOpenMetrics(text.replace(`${first}\n${rest[0]}`, `${rest[0]}\n${first}`))).toThrow(
      "time",
    );
    expect(() => parseOpenMetrics(text.replace('le="+Inf"} 2', 'le="+Inf"} 0'))).toThrow();
    expect(() => parseOpenMetrics(`${text.replace("# EOF\n", "")}# TYPE g gauge\n# EOF\n`)).toThrow("twice");
  });
});

describe("recording a run's metrics", () => {
  let driver: SqlDriver;
  beforeAll(async () => {
    driver = await openDriver();
  });
  afterAll(async () => {
    await driver.close();
  });

  const replica0: ReplicaRef = { index: 0, name: "replica-0" };
  const s = scenario(
    {
      replicas: [
        { name: "replica-0", clockSkew: 0 },
        { name: "replica-1", clockSkew: 0 },
      ],
      templates: [devTemplate(preset("small", 2), preset("large", 1))],
      workload: {
        claims: [
          { preset: { template: "dev", preset: "small" }, arrivals: { kind: "every", every: 10 * MINUTE } },
        ],
      },
      faults: [
        {
          kind: "replica-crash",
          replica: replica0,
          restartAfter: 5 * MINUTE,
          during: null,
          afterStatements: null,
          atOffset: 12 * MINUTE + 30 * SECOND,
          at: START + 12 * MINUTE + 30 * SECOND,
        },
      ],
    },
    30 * MINUTE,
  );

  test("gives upstream's series per replica at the sample instants, as a strict parser reads them, without changing the trace", async () => {
    const plain = await simulate(s, { seed: 3, database: driver });
    const recorded = await simulate(s, { seed: 3, database: driver, metrics: true });
    expect(plain.metrics).toBeNull();
    expect(recorded.trace.hash()).toBe(plain.trace.hash());
    expect(recorded.timeseries).toEqual(plain.timeseries);

    const families = parseOpenMetrics(renderOpenMetrics(recorded.metrics as MetricsSeries));
    const byName = new Map(families.map((f) => [f.name, f]));
    for (const name of [
      MetricName.createdTotal,
      MetricName.claimedTotal,
      MetricName.desired,
      MetricName.running,
      MetricName.eligible,
      MetricName.reconciliationPaused,
    ])
      expect(byName.has(name.replace(/_total$/, "")), name).toBe(true);
    expect(byName.get("coderd_prebuilt_workspaces_created")?.type).toBe("counter");

    // Desired per preset, from both replicas, at the sampler's instants.
    const desired = byName.get(MetricName.desired)?.samples ?? [];
    const sampleTimes = new Set(recorded.timeseries.queue.map((q) => q.t / 1000));
    expect(desired.every((x) => sampleTimes.has(x.timestamp))).toBe(true);
    const last = Math.max(...desired.map((x) => x.timestamp));
    expect(
      desired
        .filter((x) => x.timestamp === last)
        .map((x) => [x.labels.instance, x.labels.preset_name, x.value])
        .sort(),
    ).toEqual([
      ["replica-0", "large", 1],
      ["replica-0", "small", 2],
      ["replica-1", "large", 1],
      ["replica-1", "small", 2],
    ]);
    // replica-0 is down from 12:30 to 17:30: no scrape, a gap in its series.
    const paused = byName.get(MetricName.reconciliationPaused)?.samples ?? [];
    const times = (instance: string) =>
      paused.filter((x) => x.labels.instance === instance).map((x) => x.timestamp - START / 1000);
    expect(times("replica-1")).toContain(15 * 60);
    expect(times("replica-0")).not.toContain(15 * 60);
    expect(times("replica-0")).toContain(20 * 60);
    // Claims count up on the counter.
    const claimed =
      byName
        .get("coderd_prebuilt_workspaces_claimed")
        ?.samples.filter((x) => x.labels.instance === "replica-1") ?? [];
    expect(Math.max(...claimed.map((x) => x.value))).toBeGreaterThan(0);
  });
});
