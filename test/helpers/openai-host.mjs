// Preloaded into the real executable (NODE_OPTIONS=--import) by tests that need OpenAI's own host:
// every request the process sends to https://api.openai.com goes to the local server named by
// TEST_OPENAI_HOST instead (an http://127.0.0.1:PORT address), so the rules that hold only on
// OpenAI's host (an authoritative model list) are met through the CLI, with no real request.
const target = process.env.TEST_OPENAI_HOST;
const realFetch = globalThis.fetch;
if (target) {
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    if (!url.startsWith("https://api.openai.com/")) return realFetch(input, init);
    const moved = url.replace("https://api.openai.com", target);
    return typeof input === "string" || input instanceof URL
      ? realFetch(moved, init)
      : realFetch(new Request(moved, input), init);
  };
}
