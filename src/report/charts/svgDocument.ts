// A chart's SVG document: built with d3 in d3-node's jsdom, serialized with the window's
// XMLSerializer rather than d3-node's `svgString()`, because jsdom's HTML serialization leaves `<`
// unescaped in attribute values and writes `&nbsp;`, neither of which is well-formed XML (resvg
// refuses such files). Every text node is set with `.text()`, so scenario strings are escaped.
import * as d3 from "d3";
import { D3Node, type D3NodeDomNode } from "d3-node";

/** DejaVu first: the PNG renderer is given exactly these fonts, and browsers mostly have them too. */
export const FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif";

export type SvgRoot = d3.Selection<D3NodeDomNode, unknown, null, undefined>;

export interface SvgDocument {
  svg: SvgRoot;
  serialize(): string;
}

// One jsdom document for every chart of the process: creating one costs tens of milliseconds, and
// each chart's svg is detached from it as soon as it is serialized.
let shared: D3Node | undefined;

export function svgDocument(width: number, height: number, title: string): SvgDocument {
  shared ??= new D3Node({ d3Module: d3 });
  const node = shared;
  const svg = node.createSVG(width, height, {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "font-family": FONT_FAMILY,
  });
  svg.append("title").text(title);
  // Opaque background: a PNG on a dark page (GitHub's dark theme) must stay readable.
  svg.append("rect").attr("width", width).attr("height", height).attr("fill", "#ffffff");
  return {
    svg,
    serialize: () => {
      const root = svg.node();
      if (root === null) throw new Error(`report: chart "${title}" has no svg element`);
      const text = new node.window.XMLSerializer().serializeToString(root);
      svg.remove();
      return text;
    },
  };
}
