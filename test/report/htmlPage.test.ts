import { describe, expect, it } from "vitest";
import { htmlPage } from "../../src/report/htmlPage.ts";

describe("the page shell", () => {
  const page = htmlPage({ title: "a <b> & c", style: "p { color: red; }", body: "<p>kept</p>" });

  it("escapes the title and keeps the body and style as given", () => {
    expect(page).toContain("<title>a &lt;b&gt; &amp; c</title>");
    expect(page).toContain("<style>p { color: red; }</style>");
    expect(page).toContain("<body>\n<p>kept</p>\n</body>");
  });

  it("fetches nothing: a policy that allows only inline style", () => {
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page.endsWith("</html>\n")).toBe(true);
  });
});
