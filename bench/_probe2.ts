import { parse } from "@retorquere/bibtex-parser";
const opts = { sentenceCase: false, caseProtection: false, unsupported: "ignore" } as const;
for (const v of [String.raw`\href`, String.raw`\href{x}`, String.raw`\begin{itemize}\item x\end{enumerate}`, String.raw`\url`, String.raw`\frac`, String.raw`\newcommand`, String.raw`\newcommand{x}`, String.raw`\begin{x}`, "$$", String.raw`\verb`, String.raw`\def`]) {
  const r = parse(`@misc{k, title = {T}, abstract = {${v}}}`, opts);
  console.log(JSON.stringify(v), r.entries.length, JSON.stringify(r.errors).slice(0, 150));
}
