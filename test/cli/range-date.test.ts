/**
 * `backfill --from/--to` read a typed date and the words `today` and `yesterday` by the one clock
 * the command gives its pipeline (cli/common.ts `parseRangeDateArg`), never a typed date by the
 * system's clock and a word by another.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DateError } from "../../src/arxiv/calendar.js";
import { parseRangeDateArg } from "../../src/cli/common.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { tempWorkspace } from "../helpers/workspace.js";

const temp = tempWorkspace(
  "topics:\n  - id: moe\n    title: Mixture of experts\n    description: Conditional computation.\n    include: [mixture of experts]\n",
);
afterAll(() => temp.cleanup());
const ctx = { workspace: loadWorkspace(temp.dir, {}) };

describe("a backfill range's day", () => {
  // Thursday 2026-02-05 in US Eastern time, months before the machine's own date.
  const clock = fakeClock(Date.parse("2026-02-05T15:00:00Z"));

  it("reads a typed date and today by the same clock", () => {
    expect(parseRangeDateArg("today", "--to", clock)(ctx)).toBe("2026-02-05");
    expect(parseRangeDateArg("yesterday", "--from", clock)(ctx)).toBe("2026-02-04");
    expect(parseRangeDateArg("2026-02-05", "--to", clock)(ctx)).toBe("2026-02-05");
    // A day after the command's today is refused at once, whatever the system's clock says.
    const later = (): unknown => parseRangeDateArg("2026-03-02", "--to", clock);
    expect(later).toThrow(DateError);
    expect(later).toThrow(/--to "?2026-03-02"? is in the future \(today is 2026-02-05, US Eastern time\)/);
  });

  it("takes a date the command's clock has reached, even one the system's has not", () => {
    const ahead = fakeClock(Date.parse("2099-06-01T15:00:00Z"));
    expect(parseRangeDateArg("2099-05-29", "--from", ahead)(ctx)).toBe("2099-05-29");
    expect(parseRangeDateArg("today", "--to", ahead)(ctx)).toBe("2099-06-01");
  });
});
