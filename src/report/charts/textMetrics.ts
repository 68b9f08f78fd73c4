// How wide a label is, without a browser: a rough per-character advance of DejaVu Sans (the font
// the PNG renderer is given), enough to keep labels apart and cut them to fit.

/** Rough advance width of DejaVu Sans per character, in em. */
const EM_PER_CHAR = 0.62;

export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * EM_PER_CHAR;
}

/** `text` cut with an ellipsis to fit `width` pixels at `fontSize`. */
export function fitText(text: string, width: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= width) return text;
  const chars = Math.max(1, Math.floor(width / (fontSize * EM_PER_CHAR)) - 1);
  return `${text.slice(0, chars)}…`;
}
