/**
 * Helpers for the Compose reader's unit tests: a file that must parse or must be refused, the
 * one service of a small file, and the paths of findings. Tests use it; production code does not.
 */
import { parseCompose } from "./parse";
import type { TComposeFile, TComposeService } from "./types";

/** The file, which must parse. */
export function fileOf(text: string): TComposeFile {
  const parsed = parseCompose(text);
  if (!parsed.ok) {
    throw new Error(`expected a file, got: ${parsed.message}`);
  }

  return parsed.file;
}

/** The message refusing the file, which must not parse. */
export function refusal(text: string): string {
  const parsed = parseCompose(text);
  if (parsed.ok) {
    throw new Error("expected the file to be refused");
  }

  return parsed.message;
}

/** The one service of a file with `services: { web: <body> }`. */
export function web(body: string): TComposeService {
  const indented = body
    .trim()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  const service = fileOf(`services:\n  web:\n${indented}\n`).services[0];
  if (!service) {
    throw new Error("no service");
  }

  return service;
}

/** The paths of findings, in order. */
export function paths(entries: { path: string }[]): string[] {
  return entries.map((entry) => entry.path);
}
