/**
 * The workspace config (`arxiv-digest.yaml`). Every key is documented in docs/config.md;
 * keep the two in step. Defaults here are the product's defaults. Every object is strict: a key
 * the schema does not know is an error (load.ts names it, its line, and the key it was meant to be).
 */
import * as z from "zod";
import { shownValue } from "../format/shown.js";
import { DEFAULT_SITE_BASE_URL, siteBaseUrlProblem } from "../format/url.js";
import { configOutDirProblem } from "../io/paths.js";
import { ANNOUNCE_TYPES } from "../model/candidate.js";
import { calendarDateFix, calendarDay } from "../model/dates.js";
import { isArxivCategory, suggestCategory } from "./categories.js";
import { gitHubRepoProblem, isGitHubRepo } from "./suggest.js";

const category = z.string().check((ctx) => {
  if (isArxivCategory(ctx.value)) return;
  const suggestion = suggestCategory(ctx.value);
  ctx.issues.push({
    code: "custom",
    input: ctx.value,
    message: `${shownValue(ctx.value)} is not an arXiv category; ${
      suggestion ? `did you mean ${suggestion}?` : "see https://arxiv.org/category_taxonomy (e.g. cs.LG, hep-th)"
    }`,
  });
});
const url = z.url();
/**
 * The name of an environment variable (a secret is read from it, never written into the config):
 * every `…Env` key, so a name a shell or GitHub's secrets could not carry stops every command.
 */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable's name: letters, digits and _");
/** A feed date the reader writes into the config: a real day, YYYY-MM-DD. */
const calendarDate = z.string().refine((text) => calendarDay(text) !== null, {
  error: (ctx) => `${shownValue(String(ctx.input))} is not a calendar date; ${calendarDateFix(String(ctx.input))}`,
});

/** Longest title a topic may have: it is one label on a card, in a Slack line and a month's list. */
export const TOPIC_TITLE_MAX = 80;

/**
 * Why a title cannot be shown as one line of text, or null: a line break or other control
 * character, a character that reverses or isolates the text's direction (it would turn the rest of a
 * Slack line or an email's line around), or more than `max` characters.
 */
export function titleProblem(text: string, max: number): string | null {
  const bad = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u.exec(text);
  if (bad !== null) {
    const hex = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    const what = /[\n\r\u2028\u2029]/.test(bad[0])
      ? `a line break (${hex})`
      : /\p{Cc}/u.test(bad[0])
        ? `a control character (${hex})`
        : `a character that turns the text's direction (${hex})`;
    return `a title is shown on one line, and this one has ${what} at position ${[...text.slice(0, bad.index)].length + 1}: remove it`;
  }
  const length = [...text].length;
  if (length > max)
    return `a title is shown as one short label, at most ${max} characters, and this one has ${length}: shorten it`;
  return null;
}

export const TopicSchema = z.strictObject({
  /** Short stable id the LLM answers with, e.g. `architecture`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes"),
  title: z
    .string()
    .min(1)
    .check((ctx) => {
      const problem = titleProblem(ctx.value, TOPIC_TITLE_MAX);
      if (problem !== null) ctx.issues.push({ code: "custom", input: ctx.value, message: problem });
    }),
  /** What the reader wants under this topic; goes into the prompt verbatim. */
  description: z.string().min(1),
  /** Terms that signal relevance; used by the offline scorer and shown to the LLM. */
  include: z.array(z.string()).default([]),
  /** Terms that signal the paper is not wanted under this topic. */
  exclude: z.array(z.string()).default([]),
});
export type Topic = z.infer<typeof TopicSchema>;

/**
 * Tokens of each abstract's opening in a scoring request: 40 (with 50 papers to a request, one
 * line each) lets the LLM read the opening of 70% of a day in one round of calls for about 66
 * prompt tokens per scanned paper (bench/economy.ts), half the 138 of the tool we replace. The
 * opening states the problem and usually the approach; `arxiv-digest eval` with a key checks
 * that longer openings would not pick differently.
 */
export const DEFAULT_ABSTRACT_TOKENS = 40;
/**
 * Papers in one scoring request: one line each (about 60 tokens), so 50 make a request of about
 * 3,000 tokens after the prefix, and a day of 500 scanned papers is read in seven calls: one round
 * at the default concurrency. Fewer papers per call would bill the prefix (at least 1,024 tokens,
 * for providers' prompt caching) more often.
 */
export const DEFAULT_PAPERS_PER_CALL = 50;

export const ModelOptionsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  /** For reasoning models; "none" is accepted by gpt-5.1 and later, which reject "minimal". */
  reasoningEffort: z.enum(["none", "minimal", "low", "medium", "high"]).optional(),
  maxTokens: z.number().int().positive().optional(),
});

export const PriceSchema = z.strictObject({
  /** USD per million prompt tokens not served from the provider's cache. */
  input: z.number().nonnegative(),
  /** USD per million prompt tokens served from the cache. */
  cachedInput: z.number().nonnegative(),
  /** USD per million completion tokens (reasoning tokens included). */
  output: z.number().nonnegative(),
});
export type Price = z.infer<typeof PriceSchema>;

export const ArxivConfigSchema = z
  .strictObject({
    categories: z.array(category).min(1).default(["cs.LG", "cs.AI", "cs.CL"]),
    announceTypes: z.array(z.enum(ANNOUNCE_TYPES)).min(1).default(["new", "cross"]),
    /** Keep only papers whose primary category is one of `categories`. */
    primaryOnly: z.boolean().default(false),
    format: z.enum(["rss", "atom"]).default("rss"),
    /** One combined feed URL (`cs.LG+cs.AI`) or one request per category. */
    combinedFeed: z.boolean().default(true),
    rssUrl: url.default("https://rss.arxiv.org/rss"),
    apiUrl: url.default("https://export.arxiv.org/api/query"),
    /** Who to contact about this client; goes into the User-Agent arXiv asks for. */
    contact: z.string().default(""),
    /** Minimum spacing between requests to arXiv, in seconds (arXiv asks for 3). */
    minIntervalSeconds: z.number().min(0).default(3),
    timeoutSeconds: z.number().positive().default(30),
    retries: z.number().int().min(0).default(4),
    /**
     * Extra feed dates (YYYY-MM-DD) with no batch, on top of the shipped table. A feed date is the day
     * after arXiv's announcement evening: arXiv's holiday on the evening of the 24th empties the feed of the 25th.
     */
    holidays: z.array(calendarDate).default([]),
    /** Feed dates to remove from the shipped holiday table. */
    notHolidays: z.array(calendarDate).default([]),
  })
  .prefault({});

/**
 * Titles are short (about 20 tokens with their number), so one triage request carries ~150 of
 * them and the stable prefix is spread thin; a title needs no long context to be judged.
 */
export const TRIAGE_BATCH_TOKENS = 3000;

export const LlmConfigSchema = z
  .strictObject({
    /** "openai" uses an OpenAI-compatible endpoint; "offline" the lexical scorer; "auto" picks offline when no key is set. */
    provider: z.enum(["auto", "openai", "offline"]).default("auto"),
    baseUrl: url.optional(),
    /** Name of the environment variable holding the key. */
    apiKeyEnv: envName.default("OPENAI_API_KEY"),
    model: z.string().default("gpt-4.1-mini"),
    options: ModelOptionsSchema.default({}),
    /** Per-model overrides, for models that reject an option (e.g. temperature on reasoning models). */
    modelOptions: z.record(z.string(), ModelOptionsSchema).default({}),
    /** Structured output with a JSON schema; "auto" falls back to tolerant parsing when rejected. */
    structuredOutput: z.enum(["auto", "on", "off"]).default("auto"),
    /** Token budget of the papers part of one scoring request. */
    batchTokens: z.number().int().min(500).default(6000),
    /** At most this many papers per scoring request (accuracy falls with much larger batches). */
    papersPerCall: z.number().int().min(1).max(200).default(DEFAULT_PAPERS_PER_CALL),
    /** Tokens of each abstract's opening sent to the model (the title is always sent whole). */
    abstractTokens: z.number().int().min(20).max(1000).default(DEFAULT_ABSTRACT_TOKENS),
    /** Requests in flight: 8 reads a day of up to ~570 scanned papers (70% of it, 50 to a call) in one round, within OpenAI tier-1 limits. */
    concurrency: z.number().int().min(1).max(64).default(8),
    requestsPerMinute: z.number().int().positive().default(300),
    tokensPerMinute: z.number().int().positive().default(400_000),
    /** Attempts per paper before it is recorded as unscored. */
    maxAttempts: z.number().int().min(1).default(3),
    timeoutSeconds: z.number().positive().default(120),
    /** Longest one call may take over all its attempts and waits; default 3 × timeoutSeconds. */
    callDeadlineSeconds: z.number().positive().optional(),
    /**
     * The most one run may spend in USD: a call is sent only when its worst-case cost fits in what
     * is left; the papers of calls not sent get the offline score. 0 sends no paid call at all.
     */
    budgetUsd: z.number().nonnegative().optional(),
    /**
     * The title triage (off by default): the LLM first reads the titles the prefilter sent and
     * rates each one on topic, maybe, or outside; only the best go on to abstract scoring
     * (selection.prefilter.scoreShare). A second round of calls, for fewer abstracts read.
     */
    triage: z
      .strictObject({
        enabled: z.boolean().default(false),
        model: z.string().optional(),
        /** Token budget of the titles of one triage request (about 150 titles). */
        batchTokens: z.number().int().min(200).default(TRIAGE_BATCH_TOKENS),
      })
      .prefault({}),
    /** Prices in USD per million tokens, overriding or extending the bundled table. */
    prices: z.record(z.string(), PriceSchema).default({}),
  })
  .prefault({});

/**
 * The free prefilter's defaults, chosen on the 30 labelled days (bench/selection.ts; the reasons
 * are in src/selection/prefilter.ts): the share of the day sent, the topic score that is sent
 * whatever its rank, and how far history leads once there is some.
 */
export const PREFILTER_DEFAULTS = { keepShare: 0.7, scoreShare: 0.27, floor: 1.9, historyWeight: 0.7 } as const;

export const SelectionConfigSchema = z
  .strictObject({
    weights: z.strictObject({ relevance: z.number().default(1), novelty: z.number().default(1) }).prefault({}),
    minRelevance: z.number().min(0).max(10).default(7),
    minNovelty: z.number().min(0).max(10).default(0),
    minScore: z.number().default(0),
    /** Upper bound on papers shown (author matches always shown). 0 = no limit. */
    maxPapers: z.number().int().min(0).default(0),
    /** Free lexical prefilter before the LLM: drop papers whose offline relevance is below this (0 = off). */
    prefilterMinRelevance: z.number().min(0).max(10).default(0),
    /**
     * The free prefilter that decides which papers the LLM reads: the day is ranked by topic score
     * and similarity to the reader's history, and the top `keepShare` are sent to abstract scoring
     * (to the title triage first when it is on); a paper whose topic score reaches `floor` is sent
     * whatever its rank. Followed authors never need it.
     */
    prefilter: z
      .strictObject({
        enabled: z.boolean().default(true),
        keepShare: z.number().gt(0).max(1).default(PREFILTER_DEFAULTS.keepShare),
        /**
         * With the title triage on: at most this share of the day has its abstract read, the
         * triage's best verdicts first, then the free rank. Without the triage it is not used.
         */
        scoreShare: z.number().gt(0).max(1).default(PREFILTER_DEFAULTS.scoreShare),
        floor: z.number().min(0).default(PREFILTER_DEFAULTS.floor),
        /** Weight of the history rank against the topic rank once there is history (0–1). */
        historyWeight: z.number().min(0).max(1).default(PREFILTER_DEFAULTS.historyWeight),
        /** Earlier archived days the history model learns from. */
        historyDays: z.number().int().min(0).max(3650).default(90),
      })
      .prefault({}),
  })
  .prefault({});

export const SlackConfigSchema = z.strictObject({
  /** Env var holding an incoming-webhook URL (webhook mode). */
  webhookUrlEnv: envName.default("SLACK_WEBHOOK_URL"),
  /** Env var holding a bot token (chat.postMessage mode: summary + thread). */
  botTokenEnv: envName.default("SLACK_BOT_TOKEN"),
  channel: z.string().optional(),
  apiUrl: url.default("https://slack.com/api"),
  top: z.number().int().min(1).default(10),
});

export const EmailConfigSchema = z.strictObject({
  host: z.string(),
  port: z.number().int().positive().default(587),
  /** "auto": implicit TLS on 465, STARTTLS otherwise. */
  tls: z.enum(["auto", "implicit", "starttls", "none"]).default("auto"),
  user: z.string().optional(),
  passwordEnv: envName.default("SMTP_PASSWORD"),
  from: z.string(),
  to: z.array(z.string()).min(1),
  top: z.number().int().min(1).default(10),
});

export const WebhookConfigSchema = z
  .strictObject({
    /** The URL, when it holds no secret (the config is committed to the workspace's repository). */
    url: url.optional(),
    /** Env var holding the URL, for a URL with a token in it (Discord, Teams, Mattermost, …). */
    urlEnv: envName.optional(),
    headers: z.record(z.string(), z.string()).default({}),
    /** Headers whose values are secrets: header name → env var holding the value. */
    headersEnv: z.record(z.string(), envName).default({}),
  })
  .refine((hook) => (hook.url === undefined) !== (hook.urlEnv === undefined), {
    message: "set url, or urlEnv (the name of an environment variable holding the URL), not both",
  });

export const DeliverConfigSchema = z
  .strictObject({
    slack: SlackConfigSchema.optional(),
    email: EmailConfigSchema.optional(),
    webhooks: z.array(WebhookConfigSchema).default([]),
  })
  .prefault({});

export const SiteConfigSchema = z
  .strictObject({
    title: z.string().default("arXiv digest"),
    /** Public URL of the site (for feeds and the sitemap), e.g. https://you.github.io/papers/ */
    baseUrl: z
      .string()
      .check((ctx) => {
        const problem = siteBaseUrlProblem(ctx.value);
        if (problem !== null) ctx.issues.push({ code: "custom", input: ctx.value, message: problem });
      })
      .default(DEFAULT_SITE_BASE_URL),
    /** Path prefix the site is served under (GitHub Pages project site: `/repo/`). */
    basePath: z.string().default("/"),
    /** A folder inside the workspace that holds none of its own files (io/paths). */
    outDir: z
      .string()
      .check((ctx) => {
        const problem = configOutDirProblem(ctx.value);
        if (problem === null) return;
        ctx.issues.push({
          code: "custom",
          input: ctx.value,
          message: `${shownValue(ctx.value)} ${problem}; choose a folder of its own inside the workspace for the site, e.g. site (--out builds elsewhere)`,
        });
      })
      .default("site"),
  })
  .prefault({});

export const FeedbackConfigSchema = z
  .strictObject({
    /** Repository whose issues the site's feedback buttons open, `owner/repo`; `feedback sync` reads them. */
    github: z
      .string()
      .check((ctx) => {
        if (isGitHubRepo(ctx.value)) return;
        // An address pasted from the browser or a clone line names the repository: say which.
        ctx.issues.push({
          code: "custom",
          input: ctx.value,
          message: gitHubRepoProblem(ctx.value, shownValue(ctx.value)),
        });
      })
      .optional(),
    /** Show the titles of liked and disliked papers to the model as examples of the reader's taste. */
    promptTitles: z.boolean().default(true),
  })
  .prefault({});

export const ConfigSchema = z.strictObject({
  arxiv: ArxivConfigSchema,
  llm: LlmConfigSchema,
  selection: SelectionConfigSchema,
  topics: z
    .array(TopicSchema)
    .min(1)
    .superRefine((topics, ctx) => {
      // The LLM answers with a topic id: two topics with one id could not be told apart.
      const seen = new Set<string>();
      topics.forEach((topic, i) => {
        if (seen.has(topic.id))
          ctx.addIssue({
            code: "custom",
            path: [i, "id"],
            message: `topic id ${shownValue(topic.id)} is used twice; give each topic its own id`,
          });
        seen.add(topic.id);
      });
    }),
  deliver: DeliverConfigSchema,
  site: SiteConfigSchema,
  feedback: FeedbackConfigSchema,
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
