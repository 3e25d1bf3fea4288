/** io/paths: which output folders clash with a workspace, lexically, for the config and the command line. */
import { describe, expect, it } from "vitest";
import { configOutDirProblem, workspaceClash } from "../../src/io/paths.js";

describe("configOutDirProblem", () => {
  it("takes a folder of its own inside the workspace", () => {
    for (const ok of ["site", "site/", "./site", "docs/site", "public/www", "..x", "sites/archive"])
      expect(configOutDirProblem(ok), ok).toBeNull();
  });

  it("refuses the workspace, what holds it, its own files and folders, and anything outside", () => {
    expect(configOutDirProblem("")).toBe("is empty");
    expect(configOutDirProblem(".")).toBe("is the workspace itself");
    expect(configOutDirProblem("site/..")).toBe("is the workspace itself");
    expect(configOutDirProblem("..")).toBe("holds the workspace");
    expect(configOutDirProblem("../..")).toBe("holds the workspace");
    expect(configOutDirProblem("../escaped")).toBe("is outside the workspace");
    expect(configOutDirProblem("site/../../escaped")).toBe("is outside the workspace");
    expect(configOutDirProblem("authors.txt")).toBe("is the workspace's own authors.txt");
    expect(configOutDirProblem("Archive")).toBe("is the workspace's own archive");
    expect(configOutDirProblem("archive/2026")).toBe("is inside the workspace's own archive");
    expect(configOutDirProblem("prompts")).toBe("is the workspace's own prompts");
    expect(configOutDirProblem(".github/pages")).toBe("is inside the workspace's own .github");
    expect(configOutDirProblem("/var/www")).toMatch(/^must be a path relative to the workspace/);
  });
});

describe("workspaceClash on the command line", () => {
  it("allows a folder outside the workspace, never one that holds it", () => {
    expect(workspaceClash("/var/www", "/home/u/ws", "allowed")).toBeNull();
    expect(workspaceClash("/home/u/ws-site", "/home/u/ws", "allowed")).toBeNull();
    expect(workspaceClash("/home/u/ws/site", "/home/u/ws", "allowed")).toBeNull();
    expect(workspaceClash("/home", "/home/u/ws", "allowed")).toBe("holds the workspace");
    expect(workspaceClash("/", "/home/u/ws", "allowed")).toBe("holds the workspace");
    expect(workspaceClash("/home/u/ws", "/home/u/ws", "allowed")).toBe("is the workspace itself");
    expect(workspaceClash("/home/u/ws/arxiv-digest.yaml", "/home/u/ws", "allowed")).toBe(
      "is the workspace's own arxiv-digest.yaml",
    );
    expect(workspaceClash("/var/www", "/home/u/ws", "refused")).toBe("is outside the workspace");
  });
});
