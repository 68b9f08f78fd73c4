// d3-node 4.0.2 ships no types. This covers the part prebuildsim uses: a jsdom-backed document in
// which d3 builds an SVG, and the window's XMLSerializer to turn it into well-formed XML.
// The project compiles without the DOM lib, so nodes are described structurally here.
declare module "d3-node" {
  import type { Selection } from "d3";

  /** A DOM node as far as the report needs one: something XMLSerializer accepts. */
  export interface D3NodeDomNode {
    readonly nodeName: string;
  }

  export interface D3NodeOptions {
    d3Module?: typeof import("d3");
    selector?: string;
    container?: string;
    styles?: string;
  }

  export interface D3NodeWindow {
    XMLSerializer: new () => { serializeToString(node: D3NodeDomNode): string };
  }

  export class D3Node {
    constructor(options?: D3NodeOptions);
    readonly window: D3NodeWindow;
    /** Appends an `<svg xmlns=…>` to the document body. */
    createSVG(
      width?: number,
      height?: number,
      attrs?: Record<string, string | number>,
    ): Selection<D3NodeDomNode, unknown, null, undefined>;
    /** jsdom's HTML serialization of the svg (not always well-formed XML). */
    svgString(): string;
  }
}
