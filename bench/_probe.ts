import { parse } from "@retorquere/bibtex-parser";
const opts = { sentenceCase: false, caseProtection: false, unsupported: "ignore" } as const;
const SENT = process.env.UNIT ?? "We study how models trained on large corpora generalise to unseen tasks and measure it. ";
const [field, kbs] = process.argv.slice(2);
// warm up
for (let i = 0; i < 200; i++) parse(`@misc{k, ${field} = {${SENT.repeat(5)}}}`, opts);
for (const kb of kbs!.split(",").map(Number)) {
  const v = SENT.repeat(Math.ceil((kb * 1000) / SENT.length));
  const n = Math.max(1, Math.round(256 / kb));
  const text = `@misc{k, ${field} = {${v}}}`;
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) parse(text, opts);
  const u = process.cpuUsage(c);
  const s = (u.user + u.system) / 1e6 / n;
  console.log(field, kb, "KB", s.toFixed(3), "s/entry", (s / (kb * 1000) * 1e6).toFixed(2), "µs/char", "16MB:", (s * 16000 / kb).toFixed(0), "s");
}
