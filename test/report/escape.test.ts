import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  escapeMarkdown,
  markdownCodeBlock,
  markdownInlineCode,
} from "../../src/report/escape.ts";

describe("escapeHtml", () => {
  it.each([
    ["a tag", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["an ampersand first", "&lt;", "&amp;lt;"],
    ["both quotes", `"it's"`, "&quot;it&#39;s&quot;"],
    ["plain text", "dev/v1/small", "dev/v1/small"],
  ])("%s", (_, input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("escapeMarkdown", () => {
  it.each([
    ["inline HTML", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["a table pipe and emphasis", "a|b *c* _d_", "a\\|b \\*c\\* \\_d\\_"],
    ["a link", "[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"],
    ["a leading heading mark", "# not a heading", "\\# not a heading"],
    ["a leading ordered-list number", "1. not a list", "1\\. not a list"],
    ["line breaks that would end a table row", "one\ntwo\r\nthree", "one two three"],
    ["a name with hyphens, untouched", "weekday-morning-rush", "weekday-morning-rush"],
    ["a leading number that starts no list, untouched", "4.2 s", "4.2 s"],
    ["a leading sign that starts no list, untouched", "+2h 35m", "+2h 35m"],
  ])("%s", (_, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe("markdownInlineCode", () => {
  it.each([
    ["a name shown literally", "<img src=x>/v1/GPU (A100)", false, "`<img src=x>/v1/GPU (A100)`"],
    ["a backtick that would end the span", "a`b", false, "`a'b`"],
    ["line breaks that would end the line or paragraph", "a\n\nb\r\nc", false, "`a b c`"],
    ["a pipe in a paragraph, untouched", "a|b", false, "`a|b`"],
    ["a pipe in a table cell", "a|b", true, "`a\\|b`"],
  ])("%s", (_, input, inTable, expected) => {
    expect(markdownInlineCode(input, inTable)).toBe(expected);
  });
});

describe("markdownCodeBlock", () => {
  it("uses a fence longer than any backtick run inside", () => {
    expect(markdownCodeBlock("a ```` b", "json")).toBe("`````json\na ```` b\n`````");
  });
  it("uses three backticks for text without any", () => {
    expect(markdownCodeBlock('{"a":1}')).toBe('```\n{"a":1}\n```');
  });
});
