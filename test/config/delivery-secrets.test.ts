/** The credentials a delivery sends off this machine (config/delivery-secrets.ts): the SMTP password among them. */
import { describe, expect, it } from "vitest";
import { deliverySecrets, smtpAddress } from "../../src/config/delivery-secrets.js";
import { DeliverConfigSchema } from "../../src/config/schema.js";
import { placeholderProblem } from "../../src/pipeline/sent-secrets.js";

const email = (host: string, user?: string) =>
  DeliverConfigSchema.parse({
    email: {
      host,
      ...(user === undefined ? {} : { user }),
      from: "d@example.org",
      to: ["me@example.org", "you@example.org"],
    },
  });

describe("the SMTP password as a sent credential", () => {
  it("is one when the email logs in and the variable is set", () => {
    const [found, ...rest] = deliverySecrets(email("smtp.example.org", "d@example.org"), { SMTP_PASSWORD: "x" });
    expect(rest).toEqual([]);
    expect(found).toMatchObject({
      name: "SMTP_PASSWORD",
      from: "deliver.email.passwordEnv",
      to: "smtp://smtp.example.org:587",
      channel: "email",
      target: "me@example.org, you@example.org",
    });
    // No login, or nothing set: nothing is sent.
    expect(deliverySecrets(email("smtp.example.org"), { SMTP_PASSWORD: "x" })).toEqual([]);
    expect(deliverySecrets(email("smtp.example.org", "d@example.org"), { SMTP_PASSWORD: " " })).toEqual([]);
  });

  it("names the server as the local-endpoint rule reads it", () => {
    expect(smtpAddress("::1", 25)).toBe("smtp://[::1]:25");
    expect(smtpAddress("127.0.0.1", 2525)).toBe("smtp://127.0.0.1:2525");
  });

  it("is refused as a placeholder off this machine, and taken by a local host whatever it holds", () => {
    /** The password `value` for the server `host`, and the workspace fields the check reads. */
    const judged = (host: string, value: string) => {
      const env = { SMTP_PASSWORD: value };
      const [secret] = deliverySecrets(email(host, "d@example.org"), env);
      const ws = { config: {} as never, env, dir: "/w", dotenvNames: new Set<string>() };
      return placeholderProblem(ws, secret!);
    };
    expect(judged("smtp.example.org", "your-password")).toMatch(
      /^SMTP_PASSWORD \(deliver\.email\.passwordEnv, set in the environment\) looks like a placeholder/,
    );
    for (const host of ["localhost", "127.0.0.1", "::1"]) expect(judged(host, "<your password…>")).toBeNull();
  });
});
