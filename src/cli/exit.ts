/** Exit codes of the CLI, in one place (README and --help document them). */
import type { DayOutcome } from "../pipeline/record.js";

export const EXIT = { ok: 0, incomplete: 1, usage: 2, stale: 3 } as const;

export function exitCodeOf(outcome: DayOutcome): number {
  return outcome === "complete" ? EXIT.ok : outcome === "stale" ? EXIT.stale : EXIT.incomplete;
}

/** Several days: 0 when all are complete, else 1. */
export function exitCodeOfAll(outcomes: readonly DayOutcome[]): number {
  return outcomes.every((o) => o === "complete") ? EXIT.ok : EXIT.incomplete;
}
