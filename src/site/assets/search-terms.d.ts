/** Types of search-terms.js, the browser module the site build shares with the search page. */
export const SPAN: number;
export function wordSpans(text: string, spans: Int32Array): number;
export function forEachWord(text: string, visit: (start: number, end: number) => void): void;
export function foldWord(word: string): string;
export function wordTerms(word: string): string[];
export function readQuery(query: string): string;
export function searchTerms(text: string): string[];
export function idTerm(id: string): string;
