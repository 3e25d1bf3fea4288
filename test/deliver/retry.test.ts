import { describe, expect, it } from "vitest";
import { TransientError, withRetries } from "../../src/deliver/retry.js";
import { fakeClock } from "../helpers/fake-clock.js";

describe("retries", () => {
  it("fails at once when the server asks for a longer wait than allowed", async () => {
    const clock = fakeClock();
    const attempt = () => Promise.reject(new TransientError("Slack is rate-limiting us", 3_600_000));
    await expect(
      withRetries(attempt, { clock, maxAttempts: 5, baseDelayMs: 1000, maxWaitMs: 120_000 }),
    ).rejects.toThrow("Slack is rate-limiting us; the server asked to wait 3600 s, longer than we wait");
    expect(clock.sleeps).toEqual([]);
  });

  it("rethrows a permanent error without retrying", async () => {
    const clock = fakeClock();
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw new Error("bad request");
    };
    await expect(withRetries(attempt, { clock, maxAttempts: 5, baseDelayMs: 1000, maxWaitMs: 1000 })).rejects.toThrow(
      "bad request",
    );
    expect(calls).toBe(1);
  });
});
