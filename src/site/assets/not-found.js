// The not-found page (pages/not-found-page.tsx) at a date's address: a weekend or a holiday no run
// recorded, an announcement day a run missed, a date outside the archive. It says which the date
// can be, as far as the weekday tells, and links the month, whose calendar names each day (a
// holiday by the workspace's table, which this page does not have).
const base = document.documentElement.dataset.base ?? "/";
const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "";
const match = /^(\d{4})\/(\d{2})\/(\d{2})\/(index\.html)?$/.exec(path);
const day = match && new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
if (day && day.getUTCDate() === +match[3] && day.getUTCMonth() === +match[2] - 1) {
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  const named = (options) => day.toLocaleDateString("en-US", { ...options, timeZone: "UTC" });
  const weekday = `${named({ weekday: "long" })} ${date}`;
  const weekend = day.getUTCDay() % 6 === 0;
  document.querySelector("[data-not-found]").textContent = weekend
    ? `${weekday}: no arXiv announcement`
    : `${weekday}: no digest here`;
  const text = document.querySelector("[data-not-found-text]");
  const month = document.createElement("a");
  month.href = `${base}${match[1]}/${match[2]}/`;
  month.textContent = `calendar of ${named({ month: "long", year: "numeric" })}`;
  text.replaceChildren(
    weekend
      ? "arXiv announces nothing on weekends, so no digest carries this date. The "
      : "The archive holds no digest of this date: arXiv held no announcement for it (a holiday), a run missed it, or it lies outside the archive. The ",
    month,
    weekend ? " shows the announcement days around it." : " says which.",
  );
}
