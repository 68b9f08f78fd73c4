// Where a data path is written in a YAML document, so that a problem names its line and column.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { DataPath, SourcePosition } from "./problem.ts";

/**
 * The position of the value at `path`, or of its key when `target` is "key" (an unknown key is
 * shown where it is spelt). When the path leads past what is written (a missing key), the closest
 * written ancestor: the mapping the key is missing from.
 */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  path: DataPath,
  target: "key" | "value" = "value",
): SourcePosition {
  let node: Node | null = doc.contents;
  let offset = node?.range?.[0] ?? 0;
  for (const [depth, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc) ?? null;
    let next: Node | null | undefined;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair && isScalar(pair.key)) {
        keyOffset = pair.key.range?.[0];
        next = pair.value as Node | null;
      }
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment] as Node | undefined;
    }
    if (next === undefined && keyOffset === undefined) break;
    const last = depth === path.length - 1;
    // A key without a value (`key:`) is placed at the key itself.
    offset = (last && target === "key" ? keyOffset : undefined) ?? next?.range?.[0] ?? keyOffset ?? offset;
    if (next === null || next === undefined) break;
    node = next;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
