import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheKey, createResponseCache } from "../../src/llm/cache.js";

const reply = {
  model: "gpt-5",
  content: '{"papers":[]}',
  promptTokens: 10,
  cachedPromptTokens: 2,
  completionTokens: 3,
  finishReason: "stop",
};

describe("response cache", () => {
  it("keys by content, whatever the order of object keys", () => {
    const a = cacheKey({ model: "gpt-5", messages: [{ role: "user", content: "x" }], temperature: 0 });
    const b = cacheKey({ temperature: 0, messages: [{ content: "x", role: "user" }], model: "gpt-5" });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ model: "gpt-5", messages: [], temperature: 1 })).not.toBe(
      cacheKey({ model: "gpt-5", messages: [] }),
    );
  });

  it("stores each answer as <dir>/llm/<sha256>.json and reads it back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-cache-"));
    const cache = createResponseCache(dir);
    const key = cacheKey({ any: "request" });
    expect(await cache.get(key)).toBeNull();
    await cache.put(key, reply);
    expect(await cache.get(key)).toEqual(reply);
    expect(await readdir(join(dir, "llm"))).toEqual([`${key}.json`]);
    expect(JSON.parse(await readFile(join(dir, "llm", `${key}.json`), "utf8"))).toEqual(reply);
  });

  it("treats a damaged entry as a miss", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-cache-"));
    const cache = createResponseCache(dir);
    await cache.put("k1", reply);
    await writeFile(join(dir, "llm", "k1.json"), '{"model": "gpt-5", "content": ');
    expect(await cache.get("k1")).toBeNull();
    await writeFile(join(dir, "llm", "k1.json"), JSON.stringify({ ...reply, promptTokens: -1 }));
    expect(await cache.get("k1")).toBeNull();
  });

  it("keeps whether an answer came without token counts; an entry from before reads as before, an invalid mark is a miss", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-cache-"));
    const cache = createResponseCache(dir);
    const counted = { ...reply, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0 };
    await cache.put("k1", { ...counted, usageMissing: true });
    expect(await cache.get("k1")).toEqual({ ...counted, usageMissing: true });
    // Written before the mark was kept: read as it always was, without it.
    await writeFile(join(dir, "llm", "k1.json"), JSON.stringify(reply));
    expect(await cache.get("k1")).toEqual(reply);
    for (const mark of [false, "yes", 1, null]) {
      await writeFile(join(dir, "llm", "k1.json"), JSON.stringify({ ...counted, usageMissing: mark }));
      expect(await cache.get("k1")).toBeNull();
    }
  });

  it("reports a failed write instead of throwing, so the paid answer is still used", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-cache-"));
    await writeFile(join(dir, "llm"), "a file where the cache folder should be");
    const cache = createResponseCache(dir);
    await cache.put("k1", reply);
    expect(cache.problems()).toHaveLength(1);
    expect(cache.problems()[0]).toMatch(
      new RegExp(`^could not save an LLM answer to ${join(dir, "llm", "k1.json")}: `),
    );
  });

  it("never hits without a cache directory", async () => {
    const cache = createResponseCache(null);
    await cache.put("k", reply);
    expect(await cache.get("k")).toBeNull();
  });
});
