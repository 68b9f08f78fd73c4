// The time zone names the JSON Schema lists: the canonical IANA names this runtime's Intl knows,
// plus the UTC spellings it leaves out (Intl.supportedValuesOf omits UTC and the Etc/ zones). The
// loader (isoTime.ts parseTimeZone) accepts every one of them — test/scenario/jsonSchema.test.ts
// checks — and also other spellings and aliases, which the schema does not list.
const UTC_NAMES = [
  "UTC",
  "Etc/UTC",
  "GMT",
  "Etc/GMT",
  ...Array.from({ length: 14 }, (_, i) => `Etc/GMT-${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `Etc/GMT+${i + 1}`),
];

export const TIME_ZONE_NAMES: readonly string[] = [
  ...new Set([...Intl.supportedValuesOf("timeZone"), ...UTC_NAMES]),
].sort();
