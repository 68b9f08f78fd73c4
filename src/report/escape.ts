// Escaping for the two document formats the report writes. Every string that came from a scenario
// (template, preset and organization names, descriptions, log messages, trace lines) passes
// through one of these before it lands in a document, so a name like `<img onerror=…>` is shown,
// never executed.

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in HTML element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Text safe inline in GitHub-flavoured Markdown, including table cells: inline markup characters
 * are backslash-escaped, `<`, `>`, `&` become entities because GitHub renders inline HTML, and a
 * leading character that would start a heading, list or quote is escaped. Line breaks would end a
 * table row, so they become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/^[#+\-=](?=\s|$)/, (c) => `\\${c}`)
    .replace(/^(\d+)([.)])(?=\s|$)/, (_, digits: string, mark: string) => `${digits}\\${mark}`)
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Text as an inline code span: shown literally, so only what would end the span or the line is
 * changed — a backtick becomes `'`, line breaks become spaces; in a table cell `|` is escaped too
 * (GitHub splits cells before it parses code spans).
 */
export function markdownInlineCode(text: string, inTable = false): string {
  const flat = text.replace(/`/g, "'").replace(/[\r\n]+/g, " ");
  return `\`${inTable ? flat.replace(/\|/g, "\\|") : flat}\``;
}

/** A fenced code block whose fence is longer than any backtick run inside, so nothing escapes it. */
export function markdownCodeBlock(text: string, language = ""): string {
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
