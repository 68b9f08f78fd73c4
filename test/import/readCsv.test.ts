// psql's CSV as the import reads it: RFC 4180 quoting, NULL as an unquoted empty field, the empty
// string as "", fields spanning lines, CRLF line ends; a broken file is bad input with its line.
import { describe, expect, test } from "vitest";
import { parseCsv } from "../../src/import/readCsv.ts";

describe("parseCsv", () => {
  test.each([
    {
      name: "plain fields",
      text: "a,b\n1,2\n",
      records: [
        ["a", "b"],
        ["1", "2"],
      ],
    },
    {
      name: "NULL and the empty string",
      text: 'a,b,c\n,"",x\n',
      records: [
        ["a", "b", "c"],
        [null, "", "x"],
      ],
    },
    {
      name: "quotes, commas and newlines inside a quoted field",
      text: 'a\n"say ""hi"", then\nbye"\n',
      records: [["a"], ['say "hi", then\nbye']],
    },
    {
      name: "CRLF line ends",
      text: "a,b\r\n1,2\r\n",
      records: [
        ["a", "b"],
        ["1", "2"],
      ],
    },
    { name: "no newline at the end", text: "a\n1", records: [["a"], ["1"]] },
    { name: "an empty file", text: "", records: [] },
  ])("$name", ({ text, records }) => {
    expect(parseCsv(text, "f.csv")).toEqual(records);
  });

  test("an unclosed quote names the line it opened on", () => {
    expect(() => parseCsv('a\n"open\n', "f.csv")).toThrow("f.csv:2: a quoted field is not closed");
  });

  test("text after a closing quote", () => {
    expect(() => parseCsv('"a"b\n', "f.csv")).toThrow(
      "f.csv:1: expected a comma or the end of the line after a quoted field",
    );
  });
});
