import { describe, expect, it } from "vitest";
import type { FollowedAuthor } from "../../src/authors/followed.js";
import { createAuthorMatcher } from "../../src/authors/match.js";
import type { Candidate } from "../../src/model/candidate.js";
import { loadReferencePapers } from "../helpers/reference.js";

const paperBy = (...names: string[]): Candidate => ({
  id: "2602.04119",
  version: 1,
  title: "A paper",
  abstract: "An abstract.",
  authors: names.map((name) => ({ name, affiliations: [] })),
  categories: ["cs.LG"],
  announceType: "new",
});

const follow = (name: string, aliases: string[] = []): FollowedAuthor => ({ name, aliases });
const matches = (followed: string, written: string) => createAuthorMatcher([follow(followed)])(paperBy(written));

describe("createAuthorMatcher", () => {
  it.each([
    ["Yoshua Bengio", "Yoshua Bengio"],
    ["Yoshua Bengio", "Y. Bengio"],
    ["Y. Bengio", "Yoshua Bengio"],
    ["Yoshua Bengio", "Y Bengio"],
    ["Yoshua Bengio", "yoshua BENGIO"],
    ["Yoshua Bengio", "Bengio, Yoshua"],
    ["Yoshua Bengio", "Bengio, Y."],
    ["John X. Morris", "John Morris"],
    ["John Morris", "John X. Morris"],
    ["John Xavier Morris", "J. X. Morris"],
    ["Ana María Tárano", "Ana Maria Tarano"],
    ["Ana María Tárano", "Ana Mar\\'ia T\\'arano"],
    ["Ana María Tárano", "Ana Mar\\'{i}a T\\'{a}rano"],
    ["Anaïs Berkes", 'Ana\\"is Berkes'],
    ["Alán Aspuru-Guzik", "Al\\'an Aspuru-Guzik"],
    ["Alán Aspuru-Guzik", "Alan Aspuru Guzik"],
    ["Alena Kopaničáková", "Alena Kopani\\v{c}\\'akov\\'a"],
    ["Anders Gjølbye", "Anders Gj{\\o}lbye"],
    ["Jean-Pierre Falet", "J.-P. Falet"],
    ["Jean-Pierre Falet", "Jean Pierre Falet"],
    ["Quentin Le Lidec", "Quentin LeLidec"],
    ["Ravid Shwartz-Ziv", "Ravid Shwartz Ziv"],
    ["Martin Luther King", "Martin Luther King Jr."],
    ["Conor O'Brien", "Conor OBrien"],
  ])("%s matches %s", (followed, written) => {
    expect(matches(followed, written)).toBe(followed);
  });

  it.each([
    ["Minsu Kim", "Minseo Kim"],
    ["Minseo Kim", "Minsu Kim"],
    ["Sungjin Ahn", "Sungsoo Ahn"],
    ["John X. Morris", "John Y. Morris"],
    ["Yoshua Bengio", "Samy Bengio"],
    ["Yoshua Bengio", "Yoshua Bengioo"],
    ["Alex Hernandez-Garcia", "Alex Garcia"],
    ["Yann LeCun", "Y. Le"],
    ["Kaiming He", "Kai He"],
  ])("%s does not match %s", (followed, written) => {
    expect(matches(followed, written)).toBeNull();
  });

  it("returns the followed name as written, for any co-author position", () => {
    const match = createAuthorMatcher([follow("Sungjin Ahn"), follow("yoshua bengio")]);
    expect(match(paperBy("Hyeonah Kim", "Minseo Kim", "Y. Bengio"))).toBe("yoshua bengio");
    expect(match(paperBy("Hyeonah Kim", "Sungsoo Ahn"))).toBeNull();
  });

  it("matches aliases but ignores aliases that are only initials", () => {
    const minsu = follow("Minsu Kim", ["Min-Su Kim", "M. Kim"]);
    const match = createAuthorMatcher([minsu]);
    expect(match(paperBy("Min Su Kim"))).toBe("Minsu Kim");
    expect(match(paperBy("M. Kim"))).toBe("Minsu Kim");
    expect(match(paperBy("Minseo Kim"))).toBeNull();
  });

  it("finds exactly the reference papers written by the followed authors", () => {
    const names = ["Yoshua Bengio", "Yann LeCun", "Kaiming He", "Randall Balestriero", "Ravid Shwartz-Ziv"];
    const match = createAuthorMatcher(names.map((name) => follow(name)));
    const reference = loadReferencePapers();
    const expected = reference.filter((p) => p.candidate.authors.some((a) => names.includes(a.name)));
    const matched = reference.filter((p) => match(p.candidate) !== null);
    // Includes the near misses "Shai Shalev Shwartz", "Kaiming" in an abstract and 1,800 other names.
    expect(matched.map((p) => p.candidate.id)).toEqual(expected.map((p) => p.candidate.id));
    expect(matched.length).toBe(22);
    // The reference's own author-match papers by these five are among them.
    expect(matched.map((p) => p.candidate.id)).toEqual(
      expect.arrayContaining(["2602.04119", "2602.11389", "2511.08544", "2512.02012", "2512.07168", "2601.03015"]),
    );
  });
});
