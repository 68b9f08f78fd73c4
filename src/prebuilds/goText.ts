// The two pieces of Go text handling that upstream's cron readers (the Terraform provider's schedule
// helper and robfig/cron) build on: `strconv.Atoi` and `strings.Fields`. Reproduced so that what they
// accept (a sign, leading zeros) and the errors they print (`strconv.Atoi: parsing "x": invalid
// syntax`) are the same here.

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export class AtoiError extends Error {
  constructor(text: string, reason: "invalid syntax" | "value out of range") {
    super(`strconv.Atoi: parsing ${JSON.stringify(text)}: ${reason}`);
    this.name = "AtoiError";
  }
}

/**
 * A base-10 integer with an optional sign, as a 64-bit Go `int`; throws `AtoiError` otherwise.
 * Values beyond 2^53 lose precision as numbers, which only shows in messages about them.
 */
export function atoi(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new AtoiError(text, "invalid syntax");
  const value = BigInt(text);
  if (value > INT64_MAX || value < INT64_MIN) throw new AtoiError(text, "value out of range");
  return Number(value);
}

/** Go's `strings.Fields`: the text split around runs of white space, no empty elements. */
export function goFields(text: string): string[] {
  return text.split(/\s+/).filter((f) => f !== "");
}
