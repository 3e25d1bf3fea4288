import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { choiceOption } from "../../src/cli/choices.js";

const FORMATS = ["bibtex", "ris", "csl-json", "jsonl"] as const;

/** The value Commander hands the action for `args`, or the error it exits with. */
function parsed(args: string[]): string | undefined {
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .addOption(choiceOption("--format <format>", "the file's format", FORMATS));
  program.parse(args, { from: "user" });
  return program.opts<{ format?: string }>().format;
}

describe("choiceOption", () => {
  it("takes a choice in any case as that choice, as the config takes it", () => {
    expect(parsed(["--format", "BibTeX"])).toBe("bibtex");
    expect(parsed(["--format", "CSL-JSON"])).toBe("csl-json");
    expect(parsed(["--format", "ris"])).toBe("ris");
  });

  it("refuses another value, naming the nearest choice", () => {
    expect(() => parsed(["--format", "bibtx"])).toThrow(CommanderError);
    expect(() => parsed(["--format", "bibtx"])).toThrow(
      "option '--format <format>' argument 'bibtx' is invalid. Did you mean bibtex? Allowed choices are bibtex, ris, csl-json, jsonl.",
    );
    expect(() => parsed(["--format", "bib tex"])).toThrow(/is invalid/);
  });
});
