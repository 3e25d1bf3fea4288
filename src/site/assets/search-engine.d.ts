/** Types of search-engine.js, the search page's engine, for the tests that drive it. */
import type { SearchDoc } from "../search-index.js";

export interface QueryTerm {
  term: string;
  prefix: boolean;
}
export const ARXIV_ID: RegExp;
export function queryTerms(query: string): { id: string | null; terms: QueryTerm[] };
export function matcher(terms: readonly QueryTerm[]): (word: string) => boolean;
export function searchEngine(
  bundles: readonly string[],
  load: (bundle: string, file: string) => Promise<unknown>,
): { search(query: string, shown: number): Promise<{ terms: QueryTerm[]; total: number; docs: SearchDoc[] }> };
