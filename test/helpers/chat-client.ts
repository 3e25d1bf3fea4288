/**
 * A stand-in ChatClient that answers from a script instead of an endpoint: `answer` gets the
 * paper ids of each request (the ID that starts each paper's line), the 0-based call number and the request, and
 * returns the reply text or throws. Every request is recorded, with its ids, before it is answered.
 */
import type { ChatClient, ChatRequest } from "../../src/llm/client.js";
import { idsIn } from "./openai-server.js";

export interface ScriptedChatClient extends ChatClient {
  /** The requests, in order. */
  requests: ChatRequest[];
  /** The paper ids of each request, in order. */
  calls: string[][];
}

export function scriptedChatClient(
  answer: (ids: string[], n: number, request: ChatRequest) => string,
): ScriptedChatClient {
  const requests: ChatRequest[] = [];
  const calls: string[][] = [];
  return {
    requests,
    calls,
    format: "json_schema",
    async complete(request: ChatRequest) {
      const ids = idsIn({ model: request.model, messages: request.messages });
      requests.push(request);
      calls.push(ids);
      return {
        content: answer(ids, calls.length - 1, request),
        promptTokens: 0,
        cachedPromptTokens: 0,
        completionTokens: 0,
        finishReason: "stop",
        replayed: false,
      };
    },
  };
}
