// run --metrics-out FILE.json: the recorded metrics as Prometheus' range-query response, the form
// `import --from-prometheus` reads back (test/import/roundTrip.test.ts imports a run's own).
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { MetricsSeries } from "../../src/world/metricsRecorder.ts";
import { prometheusRangeResponse, writePrometheusJson } from "../../src/world/prometheusJson.ts";

const START = Date.UTC(2026, 2, 2, 8);
const metrics: MetricsSeries = {
  sampleEvery: 60_000,
  families: [
    {
      name: "x_created_total",
      type: "counter",
      help: "made",
      series: [
        {
          name: "x_created_total",
          labels: { instance: "r-0", template_name: "dev" },
          points: [
            { t: START, value: 0 },
            { t: START + 1500, value: 2 },
          ],
        },
      ],
    },
    {
      name: "x_desired",
      type: "gauge",
      help: "wanted",
      series: [{ name: "x_desired", labels: { instance: "r-0" }, points: [{ t: START, value: 3 }] }],
    },
  ],
};

test("a matrix of series: __name__ with the labels, [unix seconds, value text] points", () => {
  expect(prometheusRangeResponse(metrics)).toEqual({
    status: "success",
    data: {
      resultType: "matrix",
      result: [
        {
          metric: { __name__: "x_created_total", instance: "r-0", template_name: "dev" },
          values: [
            [START / 1000, "0"],
            [START / 1000 + 1.5, "2"],
          ],
        },
        { metric: { __name__: "x_desired", instance: "r-0" }, values: [[START / 1000, "3"]] },
      ],
    },
  });
});

test("written as one JSON document", async () => {
  const file = join(await mkdtemp(join(tmpdir(), "prebuildsim-promjson-")), "m.json");
  await writePrometheusJson(file, metrics);
  expect(JSON.parse(await readFile(file, "utf8"))).toEqual(prometheusRangeResponse(metrics));
});
