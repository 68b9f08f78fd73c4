// Test helpers for the JUnit output: a strict XML parse into a small tree (saxes, the XML parser
// jsdom uses: it rejects anything not well-formed), and validation against the JUnit XML Schema in
// test/fixtures/junit/junit.xsd with xmllint (libxml2-utils; .ci/run installs it, so CI always
// validates — elsewhere the schema check is skipped when xmllint is missing).
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { SaxesParser } from "saxes";
import { REPO } from "./cliProcess.ts";

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on("error", (e) => {
    failure ??= e;
  });
  parser.on("opentag", (tag) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [k, String(v)])),
      children: [],
      text: "",
    };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on("text", (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (failure) throw failure;
  if (!root) throw new Error("no root element");
  return root;
}

export const JUNIT_XSD = join(REPO, "test/fixtures/junit/junit.xsd");

export const hasXmllint = (() => {
  try {
    execFileSync("xmllint", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** xmllint's verdict on `file` against the JUnit schema: null when valid, else its messages. */
export function schemaErrors(file: string): Promise<string | null> {
  return new Promise((done) => {
    execFile("xmllint", ["--noout", "--schema", JUNIT_XSD, file], (error, _stdout, stderr) =>
      done(error ? stderr || error.message : null),
    );
  });
}
