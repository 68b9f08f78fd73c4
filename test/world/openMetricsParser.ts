// A strict parser of OpenMetrics 1.0 text with timestamps, checking what `promtool tsdb
// create-blocks-from openmetrics` relies on — and throwing on the first line that breaks it:
// - every line is `# TYPE`, `# HELP`, `# UNIT`, a sample, or the final `# EOF` (nothing after it,
//   no blank lines);
// - a family's `# TYPE` comes before its samples, each family appears once as one contiguous block,
//   and each sample's name is the family's name with a suffix its type allows;
// - metric and label names match the grammar, label values are quoted with only \\ \" \n escapes,
//   values are floats (or NaN/±Inf), timestamps are seconds;
// - within a family, each Metric's (labels without le/quantile) samples come in non-decreasing
//   time order and each series' in strictly increasing order;
// - a histogram point has a +Inf bucket, cumulative buckets, and _count equal to the +Inf bucket.
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** seconds */
  timestamp: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string | undefined;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NUMBER = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]Inf)$/;
const SUFFIXES: Record<string, string[]> = {
  counter: ["_total", "_created"],
  gauge: [""],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  summary: ["", "_count", "_sum", "_created"],
  unknown: [""],
};

function parseNumber(text: string, where: string): number {
  if (!NUMBER.test(text)) throw new Error(`${where}: ${JSON.stringify(text)} is not a number`);
  return text === "NaN"
    ? Number.NaN
    : text.endsWith("Inf")
      ? text.startsWith("-")
        ? -Infinity
        : Infinity
      : Number(text);
}

function parseLabels(text: string, where: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  if (text[0] !== "{") return { labels, rest: text };
  i = 1;
  while (text[i] !== "}") {
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new Error(`${where}: label without =`);
    const name = text.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`${where}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`${where}: label ${name}'s value is not quoted`);
    let value = "";
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`${where}: unterminated label value`);
      if (c === '"') break;
      if (c === "\\") {
        const e = text[j + 1];
        if (e === "\\") value += "\\";
        else if (e === '"') value += '"';
        else if (e === "n") value += "\n";
        else throw new Error(`${where}: bad escape \\${e}`);
        j += 2;
        continue;
      }
      if (c === "\n") throw new Error(`${where}: raw newline in a label value`);
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`${where}: expected , or } after label ${name}`);
  }
  return { labels, rest: text.slice(i + 1) };
}

function metricKey(labels: Record<string, string>): string {
  const { le: _le, quantile: _q, ...rest } = labels;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function parseOpenMetrics(text: string): ParsedFamily[] {
  if (!text.endsWith("# EOF\n")) throw new Error("the text does not end with # EOF and a newline");
  const lines = text.slice(0, -1).split("\n");
  const families: ParsedFamily[] = [];
  const seen = new Set<string>();
  let current: ParsedFamily | undefined;
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line === "# EOF") {
      if (index !== lines.length - 1) throw new Error(`${where}: # EOF before the end`);
      return;
    }
    if (line === "") throw new Error(`${where}: blank line`);
    if (line.startsWith("#")) {
      const m = /^# (TYPE|HELP|UNIT) (\S+)(?: (.*))?$/.exec(line);
      if (!m) throw new Error(`${where}: bad comment line ${JSON.stringify(line)}`);
      const [, kind, name, rest] = m as unknown as [string, string, string, string | undefined];
      if (!NAME.test(name)) throw new Error(`${where}: bad family name ${name}`);
      if (current?.name !== name) {
        if (seen.has(name)) throw new Error(`${where}: family ${name} appears twice`);
        if (kind !== "TYPE") throw new Error(`${where}: ${kind} of ${name} before its TYPE`);
        seen.add(name);
        current = { name, type: "", help: undefined, samples: [] };
        families.push(current);
      } else if (current.samples.length > 0) throw new Error(`${where}: ${kind} after the family's samples`);
      if (kind === "TYPE") {
        if (!(String(rest) in SUFFIXES)) throw new Error(`${where}: unknown type ${rest}`);
        current.type = String(rest);
      }
      if (kind === "HELP") current.help = rest ?? "";
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) throw new Error(`${where}: no metric name`);
    const name = nameMatch[0];
    const { labels, rest } = parseLabels(line.slice(name.length), where);
    const parts = rest.split(" ");
    if (parts.length !== 3 || parts[0] !== "")
      throw new Error(`${where}: expected " value timestamp" after the labels, got ${JSON.stringify(rest)}`);
    if (current === undefined) throw new Error(`${where}: sample before any # TYPE`);
    const suffix = name.startsWith(current.name) ? name.slice(current.name.length) : null;
    if (suffix === null || !(SUFFIXES[current.type] ?? []).includes(suffix))
      throw new Error(`${where}: ${name} is not a sample of the ${current.type} family ${current.name}`);
    current.samples.push({
      name,
      labels,
      value: parseNumber(parts[1] as string, where),
      timestamp: parseNumber(parts[2] as string, where),
    });
  });
  for (const f of families) checkOrder(f);
  return families;
}

function checkOrder(f: ParsedFamily): void {
  const lastOfMetric = new Map<string, number>();
  const lastOfSeries = new Map<string, number>();
  for (const s of f.samples) {
    const metric = metricKey(s.labels);
    const series = JSON.stringify([s.name, Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
    if ((lastOfMetric.get(metric) ?? -Infinity) > s.timestamp)
      throw new Error(`${f.name}: a Metric's samples go back in time at ${s.timestamp}`);
    if ((lastOfSeries.get(series) ?? -Infinity) >= s.timestamp)
      throw new Error(
        `${f.name}: series ${series} is not in strictly increasing time order at ${s.timestamp}`,
      );
    lastOfMetric.set(metric, s.timestamp);
    lastOfSeries.set(series, s.timestamp);
  }
  if (f.type !== "histogram") return;
  const points = new Map<string, ParsedSample[]>();
  for (const s of f.samples) {
    const key = `${metricKey(s.labels)}@${s.timestamp}`;
    points.set(key, [...(points.get(key) ?? []), s]);
  }
  for (const [key, samples] of points) {
    const buckets = samples.filter((s) => s.name.endsWith("_bucket"));
    const inf = buckets.find((b) => b.labels.le === "+Inf");
    if (inf === undefined) throw new Error(`${f.name} ${key}: no +Inf bucket`);
    const sorted = [...buckets].sort(
      (a, b) => parseNumber(a.labels.le ?? "", key) - parseNumber(b.labels.le ?? "", key),
    );
    sorted.reduce((prev, b) => {
      if (b.value < prev) throw new Error(`${f.name} ${key}: buckets are not cumulative`);
      return b.value;
    }, 0);
    const count = samples.find((s) => s.name.endsWith("_count"));
    if (count !== undefined && count.value !== inf.value)
      throw new Error(`${f.name} ${key}: _count ${count.value} is not the +Inf bucket ${inf.value}`);
  }
}
