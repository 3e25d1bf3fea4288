/** A clock whose sleep returns at once and advances now(), recording every wait. */
import type { Clock } from "../../src/io/clock.js";

export interface FakeClock extends Clock {
  sleeps: number[];
}

export function fakeClock(start = Date.parse("2026-02-05T10:00:00Z")): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
