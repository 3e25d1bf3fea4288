/** The name and version every request of ours carries as its User-Agent (arXiv's adds a contact). */
import pkg from "../../package.json" with { type: "json" };

export const USER_AGENT = `arxiv-digest/${pkg.version}`;
