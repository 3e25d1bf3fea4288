/**
 * Options that take one of a few fixed values. Commander lists the choices in the help and
 * refuses any other value as a usage error (exit 2); the refusal names the value typed and the
 * nearest choice by the rule the config's own keys use (`nearestChoice`, config/suggest.ts). A
 * value that differs from a choice only in case (`BibTeX`) is that choice, as the config takes it.
 */
import { InvalidArgumentError, Option } from "commander";
import { nearestChoice } from "../config/suggest.js";

/** `error: option '--format <format>' argument 'bibtx' is invalid. Did you mean bibtex? …` */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices).argParser((value: string) => {
    const exact = choices.find((c) => c.toLowerCase() === value.toLowerCase());
    if (exact !== undefined) return exact;
    const near = nearestChoice(value, choices);
    throw new InvalidArgumentError(`${near ? `Did you mean ${near}? ` : ""}Allowed choices are ${choices.join(", ")}.`);
  });
}
