/**
 * A day whose feed and LLM text tries everything: script tags, event handlers, javascript: URLs,
 * broken markup, math delimiters and TeX links used as an attack. Rendering it must execute nothing.
 */
import type { DayRecord } from "../../src/model/day-record.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

/** Every payload sets this window flag or opens a dialog if it ever runs. */
export const PWNED = "__pwned";

const payloads = [
  `<script>window.${PWNED}=1</script>`,
  `<img src=x onerror="window.${PWNED}=2">`,
  `<a href="javascript:window.${PWNED}=3">click</a>`,
  `"><svg onload=alert(1)>`,
  "</article></main><div style='position:fixed;inset:0;background:red'>",
  `$<img src=x onerror=alert(1)>$`,
  "costs \\$5 and $x$ then an unbalanced $ sign",
  "$$\\href{javascript:alert(1)}{x}$$ and $\\url{javascript:alert(2)}$",
  `\\href{javascript:window.${PWNED}=4}{x} \\url{javascript:alert(3)} \\href{https://e.org/"><svg onload=alert(4)>}{\\textbf{<b onclick=alert(5)>}}`,
  "<!-- unterminated comment",
  "<style>body{display:none}</style>",
];

export function hostileDay(date: string): DayRecord {
  const papers = payloads.map((payload, i) =>
    makePaper({
      id: `2602.${String(90001 + i)}`,
      title: `Attack ${i}: ${payload}`,
      abstract: `An abstract with ${payload} inside, and math $\\alpha_${i}$ after it.`,
      authors: [
        { name: `Mallory ${payload}`, affiliations: [payload] },
        { name: "Yoshua Bengio", affiliations: [] },
      ],
      comment: `Comment ${payload}`,
      topic: `topic-${i % 3}`,
      score: 10 + i,
      authorMatch: i === 0 ? `Mallory ${payload}` : null,
    }),
  );
  papers.push(makePaper({ id: "javascript:alert(1)", title: "A paper whose id is a URL", score: 5 }));
  return makeDay({
    date,
    papers,
    status: { code: "partial", message: `Partial: ${payloads[0]}` },
    notes: [payloads[1]!],
    prompt: { system: payloads[2]!, user: `${payloads[3]} {papers}` },
  });
}
