// The clock layer's units, plus the day the report needs for long runs' axes and bins.
import { type Duration, HOUR } from "../clock/types.ts";

export { type Duration, HOUR, type Instant, MINUTE, SECOND } from "../clock/types.ts";

export const DAY: Duration = 24 * HOUR;
