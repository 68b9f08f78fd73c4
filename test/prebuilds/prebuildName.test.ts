// Prebuild names (spec §1.1): "prebuild-" + 15 lowercase base32 characters of 9 seeded bytes.
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/kernel/rng.ts";
import { base32NoPadding, generatePrebuildName } from "../../src/prebuilds/prebuildName.ts";

describe("base32NoPadding", () => {
  // RFC 4648 §10 test vectors, padding removed.
  it.each([
    ["", ""],
    ["f", "MY"],
    ["fo", "MZXQ"],
    ["foo", "MZXW6"],
    ["foob", "MZXW6YQ"],
    ["fooba", "MZXW6YTB"],
    ["foobar", "MZXW6YTBOI"],
  ])("%j → %j", (input, expected) => {
    expect(base32NoPadding(new TextEncoder().encode(input))).toBe(expected);
  });

  it("9 bytes give 15 characters: the last holds the final 2 bits and 3 zero bits", () => {
    expect(base32NoPadding(new Uint8Array(9).fill(0xff))).toBe("77777777777777Y");
  });
});

describe("generatePrebuildName", () => {
  it("is prebuild- and 15 lowercase base32 characters", () => {
    const stream = new Rng(1).stream("prebuild-names");
    for (let i = 0; i < 100; i++) expect(generatePrebuildName(stream)).toMatch(/^prebuild-[a-z2-7]{15}$/);
  });

  it("is reproducible from the seed and differs between draws", () => {
    const a = new Rng(42).stream("prebuild-names");
    const b = new Rng(42).stream("prebuild-names");
    const fromA = [generatePrebuildName(a), generatePrebuildName(a)];
    expect([generatePrebuildName(b), generatePrebuildName(b)]).toEqual(fromA);
    expect(fromA[0]).not.toBe(fromA[1]);
  });
});
