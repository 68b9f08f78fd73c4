// The page shell every HTML document of prebuildsim shares (run report, index of runs, capacity
// sweep): self-contained — inline CSS and SVG, no scripts, nothing fetched, and a
// Content-Security-Policy that tells the browser so — readable straight from a CI artifact.
import { escapeHtml } from "./escape.ts";

export interface HtmlPage {
  /** plain text; escaped here */
  title: string;
  /** the page's own stylesheet */
  style: string;
  /** the markup between `<body>` and `</body>`, already escaped */
  body: string;
}

export function htmlPage(page: HtmlPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(page.title)}</title>
<style>${page.style}</style>
</head>
<body>
${page.body}
</body>
</html>
`;
}
