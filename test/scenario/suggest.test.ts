import { expect, it } from "vitest";
import { closestMatch, didYouMean, editDistance } from "../../src/scenario/suggest.ts";

it.each([
  { a: "", b: "abc", d: 3 },
  { a: "kitten", b: "sitting", d: 3 },
  { a: "dve", b: "dev", d: 1 },
  { a: "same", b: "same", d: 0 },
])("editDistance($a, $b) = $d", ({ a, b, d }) => {
  expect(editDistance(a, b)).toBe(d);
});

const KEYS = ["name", "desiredInstances", "parameters", "ttl", "failureRate"];

it.each([
  { word: "desiredInstance", match: "desiredInstances" },
  { word: "desired_instances", match: "desiredInstances" },
  { word: "DesiredInstances", match: "desiredInstances" },
  { word: "paramters", match: "parameters" },
  { word: "failurerate", match: "failureRate" },
  { word: "nmae", match: "name" },
  { word: "ttk", match: "ttl" },
  { word: "colour", match: undefined },
  { word: "tt", match: undefined },
])("closestMatch($word) = $match", ({ word, match }) => {
  expect(closestMatch(word, KEYS)).toBe(match);
});

it("didYouMean words the suggestion, or says nothing", () => {
  expect(didYouMean("promot", ["promote", "pause"])).toBe('; did you mean "promote"?');
  expect(didYouMean("zzz", ["promote", "pause"])).toBe("");
});
