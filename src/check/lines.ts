// The checks' name for the trace's typed line reading, which lives in `src/trace/lines.ts`.
export { instantOf, isKind, type LineOf, PREBUILDS_INITIATOR, parseTraceLine } from "../trace/lines.ts";
