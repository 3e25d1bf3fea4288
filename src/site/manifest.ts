/**
 * The build manifest in the output directory: which days the site holds and their summaries,
 * plus the settings the pages were built with. An incremental build trusts it only when those
 * settings match; otherwise it rebuilds everything.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { DaySummarySchema } from "./day-summary.js";

export const MANIFEST_FILE = ".site-manifest.json";
/** Bump when page markup or layout changes, so old sites are rebuilt in full. */
export const SITE_FORMAT = 2;

const ManifestSchema = z.object({
  format: z.literal(SITE_FORMAT),
  settings: z.object({ title: z.string(), basePath: z.string(), baseUrl: z.string() }),
  days: z.array(DaySummarySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The manifest, or null when there is none or it is unreadable (then the build is full). */
export async function readManifest(outDir: string): Promise<Manifest | null> {
  const text = await readFile(join(outDir, MANIFEST_FILE), "utf8").catch(() => null);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ManifestSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export async function writeManifest(outDir: string, manifest: Manifest): Promise<void> {
  const file = join(outDir, MANIFEST_FILE);
  await writeFile(`${file}.tmp`, JSON.stringify(manifest));
  await rename(`${file}.tmp`, file);
}
