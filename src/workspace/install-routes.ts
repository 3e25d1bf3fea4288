/**
 * Where the generated workflows install arxiv-digest from. A module of its own so `init --help`
 * (and every start-up, which registers `init`) can name the choices without loading the rest of
 * workspace/init.
 */
export const INSTALL_ROUTES = ["git", "registry"] as const;
export type InstallRoute = (typeof INSTALL_ROUTES)[number];
