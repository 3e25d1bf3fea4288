/**
 * A small chart of a month, drawn at build time as inline SVG (no chart script): papers per day
 * as bars, cost per day as a line on its own scale. The numbers are also in the page's tables and
 * calendar; the chart's label says what it shows for screen readers.
 */
import type { OverviewDay } from "../archive-outline.js";
import { formatCost } from "../format.js";

const WIDTH = 640;
const HEIGHT = 150;
const PAD = { left: 30, right: 46, top: 10, bottom: 22 };

export function TrendChart({ days, label }: { days: OverviewDay[]; label: string }) {
  if (days.length === 0) return null;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const maxPapers = Math.max(1, ...days.map((d) => d.papers.length));
  const maxCost = Math.max(0, ...days.map((d) => d.cost ?? 0));
  const slot = innerW / days.length;
  const bar = Math.max(2, Math.min(18, slot * 0.7));
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const yPapers = (n: number) => PAD.top + innerH - (n / maxPapers) * innerH;
  const yCost = (c: number) => PAD.top + innerH - (maxCost > 0 ? (c / maxCost) * innerH : 0);
  // Unpriced days break the line rather than dropping to zero.
  const segments: string[][] = [[]];
  days.forEach((d, i) => {
    if (d.cost === null) segments.push([]);
    else segments.at(-1)!.push(`${x(i).toFixed(1)},${yCost(d.cost).toFixed(1)}`);
  });
  const labelEvery = Math.ceil(days.length / 8);
  return (
    <svg class="trend" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={label}>
      <line class="axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + innerH} y2={PAD.top + innerH} />
      <text x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">
        {maxPapers}
      </text>
      <text x={PAD.left - 4} y={PAD.top + innerH} text-anchor="end">
        0
      </text>
      {maxCost > 0 && (
        <text x={WIDTH - PAD.right + 4} y={PAD.top + 8}>
          {formatCost(maxCost)}
        </text>
      )}
      {days.map((d, i) => (
        <rect
          key={d.date}
          class="bar"
          x={(x(i) - bar / 2).toFixed(1)}
          y={yPapers(d.papers.length).toFixed(1)}
          width={bar.toFixed(1)}
          height={(PAD.top + innerH - yPapers(d.papers.length)).toFixed(1)}
        >
          <title>
            {d.date}: {d.papers.length} papers, {formatCost(d.cost)}
          </title>
        </rect>
      ))}
      {segments
        .filter((s) => s.length > 1)
        .map((s) => (
          <polyline key={s[0]} class="cost" points={s.join(" ")} />
        ))}
      {days.map((d, i) =>
        i % labelEvery === 0 ? (
          <text key={d.date} x={x(i)} y={HEIGHT - 6} text-anchor="middle">
            {Number(d.date.slice(8, 10))}
          </text>
        ) : null,
      )}
    </svg>
  );
}
