import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/** A complete HTML document from a page component. */
export function renderDocument<P>(page: VNode<P>): string {
  return `<!doctype html>\n${renderToString(page)}\n`;
}
