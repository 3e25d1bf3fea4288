/**
 * Abstracts carry TeX math between $…$ or $$…$$. We render it to HTML at build time so pages
 * need no client script for math; everything outside the delimiters is escaped text.
 */
import katex from "katex";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Segment = { kind: "text"; text: string } | { kind: "math"; tex: string; display: boolean };

/** Splits on $$…$$ and $…$; "\$" is a literal dollar; an unclosed "$" stays text. */
export function splitMath(source: string): Segment[] {
  const segments: Segment[] = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\" && source[i + 1] === "$") {
      text += "$";
      i += 2;
      continue;
    }
    if (c !== "$") {
      text += c;
      i += 1;
      continue;
    }
    const display = source[i + 1] === "$";
    const open = display ? 2 : 1;
    const close = findClosing(source, i + open, display);
    const tex = close === -1 ? "" : source.slice(i + open, close);
    if (close === -1 || tex.trim() === "") {
      text += source.slice(i, i + open);
      i += open;
      continue;
    }
    if (text) segments.push({ kind: "text", text });
    text = "";
    segments.push({ kind: "math", tex, display });
    i = close + open;
  }
  if (text) segments.push({ kind: "text", text });
  return segments;
}

function findClosing(source: string, from: number, display: boolean): number {
  for (let j = from; j < source.length; j++) {
    if (source[j] === "\\") {
      j++;
      continue;
    }
    if (source[j] !== "$") continue;
    if (!display) return j;
    if (source[j + 1] === "$") return j;
  }
  return -1;
}

/**
 * Abstracts are TeX source: outside math, authors escape `%`, `&`, `#`, `_` and `$`, and tie words
 * with `~` (a tie only between words: a URL's `/~user` stays). Shown as typeset text, not as source.
 */
function untex(text: string): string {
  return text.replace(/\\([%&#_$])/g, "$1").replace(/(?<=\w)~(?=\w)/g, "\u00a0");
}

/** Escaped HTML with each math segment rendered by KaTeX (which escapes its own output). */
export function renderMathText(source: string): string {
  return splitMath(source)
    .map((s) =>
      s.kind === "text"
        ? escapeHtml(untex(s.text))
        : katex.renderToString(s.tex, {
            displayMode: s.display,
            throwOnError: false,
            trust: false,
            strict: "ignore",
            // A stylesheet variable, so the error colour is readable in both themes.
            errorColor: "var(--math-error)",
            output: "htmlAndMathml",
          }),
    )
    .join("");
}
