// What a chart asks its frame for (chartFrame.ts): the axes, the legend and the markers drawn
// around its data. Plain data; the layout (chartLayout.ts) and the renderers read it.
import type { Instant } from "../timeUnits.ts";

export interface TimeAxisSpec {
  kind: "time";
  start: Instant;
  end: Instant;
}

export interface ValueAxisSpec {
  kind: "value";
  max: number;
  label: string;
  format: (v: number) => string;
  /** only whole-number ticks (counts) */
  integer?: boolean;
  /** symlog: linear near zero, logarithmic above 1 — for durations spanning orders of magnitude */
  scale?: "linear" | "symlog";
  /** explicit tick values instead of the scale's own */
  ticks?: number[];
}

export interface LaneAxisSpec {
  kind: "lanes";
  names: string[];
  label: string;
}

export type Swatch =
  | "line"
  | "thick-line"
  | "dashed"
  | "dotted"
  | "area"
  | "hatch"
  | "vline"
  | "triangle"
  | "dot"
  | "ring"
  | "tick"
  | "outline"
  | "strip";

export interface LegendItem {
  label: string;
  color: string;
  swatch: Swatch;
  /** as the series is drawn (a pale wide line must look pale in the legend too) */
  opacity?: number;
}

/** A stretch of time shaded behind the data: a fault window, or a version's inactive period. */
export interface WindowMarker {
  from: Instant;
  /** null: an instantaneous fault, drawn as a line */
  to: Instant | null;
  kind: "fault" | "inactive";
  /** shown above the plot; empty for none */
  label: string;
  /** limits the shading to one lane of a lane chart */
  lane?: string;
  /** a fault that changed nothing (a `fault.noop` line): drawn grey */
  noop?: boolean;
}

/** A moment drawn as a vertical line, labelled above the plot: operator action, hard limit, convergence. */
export interface EventMarker {
  t: Instant;
  label: string;
  color: string;
  dash: boolean;
}

/** A stretch drawn as a strip along the bottom of the plot (backoff periods). */
export interface StripMarker {
  from: Instant;
  to: Instant;
  color: string;
  title: string;
}

export interface ViolationMarker {
  t: Instant;
  href: string;
  /** tooltip: invariant and message */
  title: string;
  color: string;
  lane?: string;
}

export interface FrameSpec {
  /** unique on the report page: prefixes ids of patterns */
  id: string;
  title: string;
  subtitle: string;
  x: TimeAxisSpec | ValueAxisSpec;
  y: ValueAxisSpec | LaneAxisSpec;
  /** height of the plot area for a value axis; lanes size themselves */
  plotHeight?: number;
  legend: LegendItem[];
  windows?: WindowMarker[];
  events?: EventMarker[];
  strips?: StripMarker[];
  violations?: ViolationMarker[];
}
