/** "Previous · up · Next" navigation between days, months or years, as plain text links. */

export interface NavLink {
  href: string;
  text: string;
}

export interface PrevNextNavProps {
  label: string;
  prev: NavLink | null;
  up: NavLink;
  next: NavLink | null;
  /** Said in place of a missing link, e.g. "No earlier day". */
  noPrev: string;
  noNext: string;
}

export function PrevNextNav({ label, prev, up, next, noPrev, noNext }: PrevNextNavProps) {
  return (
    <nav class="day-nav" aria-label={label}>
      {prev ? (
        <a rel="prev" href={prev.href}>
          {prev.text}
        </a>
      ) : (
        <span>{noPrev}</span>
      )}
      <a href={up.href}>{up.text}</a>
      {next ? (
        <a rel="next" href={next.href}>
          {next.text}
        </a>
      ) : (
        <span>{noNext}</span>
      )}
    </nav>
  );
}
