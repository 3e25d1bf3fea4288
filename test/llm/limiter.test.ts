import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/llm/limiter.js";
import { fakeClock } from "../helpers/fake-clock.js";

describe("rate limiter", () => {
  it("waits for the window when requests per minute are used up", async () => {
    const clock = fakeClock(0);
    const limiter = createRateLimiter({ requestsPerMinute: 2, tokensPerMinute: 1_000_000 }, clock);
    await limiter.acquire(10);
    await limiter.acquire(10);
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire(10);
    expect(clock.sleeps).toEqual([60_000]);
  });

  it("waits until enough tokens leave the window, and lets an oversized call go alone", async () => {
    const clock = fakeClock(0);
    const limiter = createRateLimiter({ requestsPerMinute: 100, tokensPerMinute: 1000 }, clock);
    await limiter.acquire(600);
    clock.sleeps.push(-1); // marker: nothing slept before this point
    await clock.sleep(1); // 1 ms later
    await limiter.acquire(600);
    expect(clock.sleeps).toEqual([-1, 1, 59_999]);
    await limiter.acquire(5000);
    expect(clock.sleeps.at(-1)).toBe(60_000);
  });
});
