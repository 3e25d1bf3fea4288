/** The per-paper answer store as tests plant or damage it (`<cacheDir>/llm-papers`, src/llm/answers.ts). */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Rewrites each verdict stored in `papersDir` (those `only` names, else all) as `edit` makes it. */
export function editStoredVerdicts(
  papersDir: string,
  edit: (entry: Record<string, unknown>) => Record<string, unknown>,
  only: readonly string[] = readdirSync(papersDir),
): void {
  for (const f of only) {
    const file = join(papersDir, f);
    writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>)));
  }
}
