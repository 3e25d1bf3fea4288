/**
 * A small chart of a month, drawn at build time as inline SVG (no chart script): papers per
 * announcement day as bars, each at its date, so weekends and holidays leave their gaps; cost per
 * day as a line on its own scale, when any day cost something. The numbers are also in the page's
 * calendar and day list; the chart's label says what it shows for screen readers.
 *
 * The SVG has no viewBox: it is as wide as the page allows and places the days in percents of that
 * width, so its text keeps the page's size (12 px) instead of shrinking with the chart on a phone.
 */
import { plural } from "../../format/text.js";
import type { OverviewDay } from "../archive-outline.js";
import { formatCost } from "../format.js";

const HEIGHT = 150;
/** Room above the bars for the scales' tops, and below them for the dates. */
const TOP = 20;
const BOTTOM = 20;
/** The days of the month labelled under the axis: a week apart. */
const LABELLED = [1, 8, 15, 22, 29];

/** Whether the chart draws the cost line: only when some day cost something (offline days cost nothing). */
export const hasCost = (days: readonly OverviewDay[]) => days.some((d) => (d.cost ?? 0) > 0);

export function TrendChart({ month, days, label }: { month: string; days: OverviewDay[]; label: string }) {
  if (days.length === 0) return null;
  const length = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  const base = HEIGHT - BOTTOM;
  const innerH = base - TOP;
  const maxPapers = Math.max(1, ...days.map((d) => d.papers.length));
  const maxCost = Math.max(0, ...days.map((d) => d.cost ?? 0));
  const slot = 100 / length;
  /** The middle of a day of the month's slot, in percent of the width. */
  const x = (dayOfMonth: number) => `${((dayOfMonth - 0.5) * slot).toFixed(2)}%`;
  const dayOf = (d: OverviewDay) => Number(d.date.slice(8, 10));
  const yPapers = (n: number) => base - (n / maxPapers) * innerH;
  const yCost = (c: number) => (base - (c / maxCost) * innerH).toFixed(1);
  // Unpriced days break the line rather than dropping to zero.
  const cost = hasCost(days);
  const costLines = cost
    ? days.slice(1).flatMap((d, i) => {
        const prev = days[i]!;
        return prev.cost === null || d.cost === null
          ? []
          : [{ key: d.date, x1: x(dayOf(prev)), y1: yCost(prev.cost), x2: x(dayOf(d)), y2: yCost(d.cost) }];
      })
    : [];
  return (
    <svg class="trend" width="100%" height={HEIGHT} role="img" aria-label={label}>
      <line class="axis" x1="0" x2="100%" y1={base} y2={base} />
      <line class="axis" x1="0" x2="100%" y1={TOP} y2={TOP} />
      <text x="0" y={TOP - 6}>
        {plural(maxPapers, "paper")}
      </text>
      {cost && (
        <text x="100%" y={TOP - 6} text-anchor="end">
          {formatCost(maxCost)}
        </text>
      )}
      {days.map((d) => (
        <rect
          key={d.date}
          class="bar"
          x={`${((dayOf(d) - 0.85) * slot).toFixed(2)}%`}
          y={yPapers(d.papers.length).toFixed(1)}
          width={`${(slot * 0.7).toFixed(2)}%`}
          height={(base - yPapers(d.papers.length)).toFixed(1)}
        >
          <title>
            {d.date}: {plural(d.papers.length, "paper")}
            {cost && `, ${formatCost(d.cost)}`}
          </title>
        </rect>
      ))}
      {costLines.map(({ key, ...line }) => (
        <line key={key} class="cost" {...line} />
      ))}
      {LABELLED.filter((n) => n <= length).map((n) => (
        <text key={n} x={x(n)} y={HEIGHT - 5} text-anchor="middle">
          {n}
        </text>
      ))}
    </svg>
  );
}
