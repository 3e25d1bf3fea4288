// Preloaded into the real executable (NODE_OPTIONS=--import) by tests that need an address off
// this machine: TEST_REMOTE_HOSTS maps origins (`https://hooks.example.test=http://127.0.0.1:PORT`,
// comma-separated) to local servers, and every request the process sends to one goes to its server
// instead. The program sees the remote address (so a rule for local endpoints does not apply), and
// the test's receiver sees whatever would have left the machine: nothing, when a check stops it.
const pairs = (process.env.TEST_REMOTE_HOSTS ?? "")
  .split(",")
  .filter(Boolean)
  .map((pair) => pair.split("="));
const realFetch = globalThis.fetch;
if (pairs.length > 0) {
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    const found = pairs.find(([from]) => url.startsWith(`${from}/`) || url === from);
    if (found === undefined) return realFetch(input, init);
    const moved = found[1] + url.slice(found[0].length);
    return typeof input === "string" || input instanceof URL
      ? realFetch(moved, init)
      : realFetch(new Request(moved, input), init);
  };
}
