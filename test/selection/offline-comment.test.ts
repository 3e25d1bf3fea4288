/**
 * What the offline scorer's comment says of why a paper ranked where it did, on small crafted days:
 * a weak match on one loose word is said as that word, not as the topic, and a paper the history
 * rank carried more than its topic rank says so, naming the liked paper it most resembles.
 */
import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import type { Candidate } from "../../src/model/candidate.js";
import { createJudge } from "../../src/pipeline/judge.js";
import { fitHistoryModel, type HistoryExample, type HistoryModel } from "../../src/selection/history.js";
import { createLexicalScorer } from "../../src/selection/lexical.js";
import { type SelectionContext, selectPapers } from "../../src/selection/select.js";
import { defaultPrompts } from "../helpers/config.js";
import { fakeClock } from "../helpers/fake-clock.js";

const TOPICS = [
  {
    id: "compression",
    title: "Model compression and efficiency",
    description: "Quantization and pruning of large networks.",
    include: ["sparse", "quantization", "pruning"],
  },
  {
    id: "agents",
    title: "Language agents",
    description: "Agents that plan and use tools.",
    include: ["tool use", "language agent"],
  },
];

const config = ConfigSchema.parse({
  topics: TOPICS,
  llm: { provider: "offline", triage: { enabled: false } },
  selection: { prefilter: { enabled: false } },
});

let next = 0;
function paper(title: string, abstract: string): Candidate {
  next += 1;
  return {
    id: `2611.${String(10000 + next)}`,
    version: 1,
    title,
    abstract,
    authors: [{ name: "A. Author", affiliations: [] }],
    categories: ["cs.LG"],
    announceType: "new",
  };
}

const SIMU = paper(
  "SimuAgent: reinforcement learning for simulated robot control",
  "We train a policy with reinforcement learning from sparse rewards in a physics simulator, using reward shaping and curriculum over episodes.",
);
const QUANT = paper(
  "Sparse quantization and pruning of large language models",
  "We combine quantization with structured pruning and sparse weights to make large models cheaper to serve; quantization keeps accuracy.",
);
const OTHERS = [
  paper("A survey of graph databases", "We review storage engines and query languages for graph databases."),
  paper("Protein folding with diffusion", "A diffusion model predicts protein structures from sequences."),
  paper("Tool use for language agents", "A language agent learns tool use from demonstrations and plans calls."),
  paper("Weather forecasting at scale", "We forecast weather with a global model trained on reanalysis data."),
  paper("Music generation with transformers", "We generate symbolic music with long-context sequence models."),
  paper("Causal discovery in time series", "We recover causal graphs from multivariate time series."),
];
const DAY = [SIMU, QUANT, ...OTHERS];

const LIKED_RL = "Reward shaping for reinforcement learning in robot simulators";

function context(history?: HistoryModel): SelectionContext {
  return {
    config,
    prompts: defaultPrompts(),
    matchAuthor: () => null,
    judge: createJudge({ llm: config.llm, env: {}, cacheDir: null, clock: fakeClock() }),
    ...(history ? { history } : {}),
  };
}

/** A reader who liked reinforcement-learning papers and passed over the rest. */
function rlReader(explicit: boolean): HistoryModel {
  const liked: HistoryExample[] = [
    {
      title: LIKED_RL,
      abstract:
        "Policies trained with reinforcement learning from sparse rewards in a physics simulator, with curriculum.",
      weight: 1,
      ...(explicit ? { explicit: true } : {}),
    },
    {
      title: "Curriculum learning for robot control policies",
      abstract: "A curriculum over episodes speeds up reinforcement learning of robot control in simulation.",
      weight: 1,
      ...(explicit ? { explicit: true } : {}),
    },
  ];
  const passed: HistoryExample[] = [
    {
      title: "Graph neural networks for molecules",
      abstract: "Message passing predicts molecular properties.",
      weight: -0.1,
    },
    { title: "Speech recognition with transformers", abstract: "An encoder transcribes speech to text.", weight: -0.1 },
    {
      title: "Image segmentation benchmarks",
      abstract: "We compare segmentation models on medical images.",
      weight: -0.1,
    },
  ];
  return fitHistoryModel([...liked, ...passed]);
}

describe("the offline comment's topic", () => {
  const score = createLexicalScorer(config.topics, DAY);

  it("names no topic for a weak match on one loose word, but says the word and the topic it belongs to", () => {
    const simu = score(SIMU);
    expect(simu.topic).toBe("compression");
    expect(simu.relevance).toBeLessThan(6);
    expect(simu.loose).toBe(true);
    expect(simu.comment).toBe(
      "Offline match: no clear topic; “sparse” is the one word it shares with Model compression and efficiency",
    );
    expect(simu.comment).not.toContain("Offline match (Model compression and efficiency)");
  });

  it("names the topic of a strong match, and of several terms", () => {
    const quant = score(QUANT);
    expect(quant.loose).toBe(false);
    expect(quant.comment).toMatch(/^Offline match \(Model compression and efficiency\): quantization, /);
    // Two terms of a topic, even in passing, are no loose match.
    const agents = score(OTHERS[2]!);
    expect(agents.loose).toBe(false);
    expect(agents.comment).toMatch(/^Offline match \(Language agents\): /);
  });
});

describe("the offline comment's rank", () => {
  it("without history gives no rank and names no history", async () => {
    const result = await selectPapers(DAY, context());
    const simu = result.papers.find((p) => p.id === SIMU.id)!;
    expect(simu.comment).toMatch(/^Offline match: no clear topic; “sparse”/);
    expect(simu.comment).not.toMatch(/Ranked|history/);
  });

  it("says history carried a pick more than topics, naming the liked paper it most resembles", async () => {
    const result = await selectPapers(DAY, context(rlReader(true)));
    const simu = result.papers.find((p) => p.id === SIMU.id)!;
    expect(simu.outcome).toBe("selected");
    expect(simu.comment).toMatch(
      new RegExp(
        `^Offline match: no clear topic; “sparse” is the one word it shares with Model compression and efficiency\\. Ranked \\d+ of ${DAY.length} today, more by your history than by topics \\(like papers you liked or saved: “${LIKED_RL}”\\)\\.$`,
      ),
    );
    // The paper its topic words carry says both, as before.
    const quant = result.papers.find((p) => p.id === QUANT.id)!;
    expect(quant.comment).toMatch(/Ranked \d+ of \d+ today by topics and your history\.$/);
  });

  it("names no title when the history has no paper the reader liked or saved (its picks alone)", async () => {
    const result = await selectPapers(DAY, context(rlReader(false)));
    const simu = result.papers.find((p) => p.id === SIMU.id)!;
    expect(simu.comment).toMatch(/ Ranked \d+ of \d+ today, more by your history than by topics\.$/);
    expect(simu.comment).not.toContain("liked or saved");
  });
});
