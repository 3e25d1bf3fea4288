/**
 * The kinds of feedback a reader gives. A module of its own so the CLI can register one
 * `feedback <kind>` command per kind at start-up without loading the store (and its schema).
 */
export const SIGNAL_KINDS = ["like", "dislike", "save", "clear"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
