/** The one content digest the project keeps in its own files (the site's build state, the demo's marker). */
import { createHash } from "node:crypto";

/** The SHA-256 of a text or bytes, as lowercase hex. */
export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
