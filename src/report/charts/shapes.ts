// Many small shapes as one SVG path: a long run has thousands of lock holds, cycles and cycle
// points, and one path per kind keeps the document small and quick to build and to render.
import type { Interval } from "../intervals.ts";

const n = (v: number) => Number(v.toFixed(2));

/** Rectangles spanning each interval horizontally, from `top` with `height`, at least `minWidth` wide. */
export function intervalRectsPath(
  intervals: readonly Interval[],
  x: (t: number) => number,
  top: number,
  height: number,
  minWidth: number,
): string {
  return intervals
    .map(
      (iv) =>
        `M${n(x(iv.from))},${n(top)}h${n(Math.max(minWidth, x(iv.to) - x(iv.from)))}v${n(height)}h${n(-Math.max(minWidth, x(iv.to) - x(iv.from)))}Z`,
    )
    .join("");
}

/** Circles of radius `r` at the points (each drawn as two half arcs). */
export function circlesPath(points: ReadonlyArray<readonly [number, number]>, r: number): string {
  return points
    .map(([cx, cy]) => `M${n(cx - r)},${n(cy)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`)
    .join("");
}

/** Vertical ticks at the x positions, from `top` with `height`. */
export function ticksPath(xs: readonly number[], top: number, height: number): string {
  return xs.map((x) => `M${n(x)},${n(top)}v${n(height)}`).join("");
}
