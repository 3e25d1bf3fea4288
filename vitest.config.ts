import { configDefaults, defineConfig } from "vitest/config";

const TESTS = ["test/**/*.test.ts", "test/**/*.test.tsx"];

/**
 * Tests that start a server (HTTP, SMTP, the site server), spawn a child process (the real
 * executable, bash and git) or drive Chromium. Every other test is a unit test.
 * A new test file that does any of these belongs here.
 */
const INTEGRATION = [
  "test/arxiv/api.test.ts",
  "test/arxiv/fetch-feeds.test.ts",
  "test/arxiv/http.test.ts",
  "test/authors/semantic-scholar.test.ts",
  "test/cli/*.test.ts",
  "test/deliver/deliver-day.test.ts",
  "test/deliver/email.test.ts",
  "test/deliver/slack.test.ts",
  "test/deliver/resume.test.ts",
  "test/deliver/slack-dedupe.test.ts",
  "test/deliver/update.test.ts",
  "test/deliver/webhook.test.ts",
  "test/feedback/cli.test.ts",
  "test/feedback/github.test.ts",
  "test/feedback/waiting.test.ts",
  "test/install/*.test.ts",
  "test/llm/client.test.ts",
  "test/pipeline/*.test.ts",
  "test/selection/answer-reuse.test.ts",
  "test/selection/economy.test.ts",
  "test/selection/select.test.ts",
  "test/site/build.test.ts",
  "test/site/feedback-browser.test.ts",
  "test/site/search-browser.test.ts",
  "test/site/serve-feedback.test.ts",
  "test/site/site-build.test.ts",
  "test/site/serve.test.ts",
  "test/site/site-browser.test.ts",
  "test/workspace/workflow-steps.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    // Every test's temporary folders go under one folder per run, removed when the run ends.
    globalSetup: ["./test/setup/temp-root.ts"],
    // Set once for the whole run, so the closing line is printed once whatever projects ran.
    reporters: ["default", "./test/reporters/closing-line.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: TESTS,
          exclude: [...configDefaults.exclude, ...INTEGRATION],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
