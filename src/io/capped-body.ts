/**
 * The one reader of an HTTP answer's body (a fetch `Response`) that stops at a size: a body past
 * it is cancelled, never held or parsed, and is an `AnswerTooLargeError` naming the endpoint. The
 * deliveries' answers and an LLM endpoint's model list are read through it.
 */

/** An answer body over the size its reader accepts. */
export class AnswerTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnswerTooLargeError";
  }
}

/**
 * The answer's body as text, read no further than `maxBytes`: a longer one is cancelled and is an
 * `AnswerTooLargeError` naming `label` (the endpoint as messages call it, never a URL that may hold
 * a secret). A body cut off mid-read is read as empty.
 */
export async function readBodyCapped(res: Response, maxBytes: number, label: string): Promise<string> {
  const reader = res.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new AnswerTooLargeError(
          `${label} answered with a body larger than ${maxBytes / 1024 / 1024} MB, more than any answer it should send; it was not read`,
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof AnswerTooLargeError) throw err;
    return "";
  }
  return Buffer.concat(chunks).toString("utf8");
}
