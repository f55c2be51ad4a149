/**
 * What a service's container runs: its image, its argv (`command:` and `entrypoint:`, split
 * into words when written as one line) and its environment.
 */
import { splitWords, text } from "./scalars";
import { type TReport, type TServiceContext, isRecord } from "./types";

/** Shell operators that a shell would act on but that an argv passes on as plain words. */
const SHELL_OPERATORS = new Set(["&&", "||", "|", ";", ">", ">>", "<", "&"]);

/** `command:` or `entrypoint:` as an argv: lists as they are, strings split into words. */
export function readArgv(value: unknown, path: string, report: TReport): string[] | undefined {
  if (value === null) {
    return [];
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => text(item, `${path}.${index}`, report));

    return items.every((item) => item !== undefined) ? items : undefined;
  }
  const line = text(value, path, report);
  if (line === undefined) {
    return undefined;
  }
  const words = splitWords(line);
  if (!words) {
    report.error(path, "has a quote that is never closed");

    return undefined;
  }
  if (words.some((word) => SHELL_OPERATORS.has(word))) {
    report.note(
      path,
      "no shell runs the command, so operators such as && or | reach the program as " +
        'arguments; write ["/bin/sh", "-c", "..."] to use a shell',
    );
  }

  return words;
}

/** `image:` as the app's image. */
export function readImage(value: unknown, ctx: TServiceContext): void {
  const image = text(value, `${ctx.path}.image`, ctx.report);
  if (image !== undefined) {
    ctx.candidate.image = image;
  }
}

/** `command:` as the app's args. */
export function readCommand(value: unknown, ctx: TServiceContext): void {
  // Compose's command replaces the image's CMD: Berth's args.
  const args = readArgv(value, `${ctx.path}.command`, ctx.report);
  if (args) {
    ctx.candidate.args = args;
  }
}

/** `entrypoint:` as the app's command. */
export function readEntrypoint(value: unknown, ctx: TServiceContext): void {
  // Compose's entrypoint replaces the image's ENTRYPOINT: Berth's command.
  const command = readArgv(value, `${ctx.path}.entrypoint`, ctx.report);
  if (command) {
    ctx.candidate.command = command;
  }
}

const INHERITED_ENV =
  "has no value: Compose takes it from the shell that runs compose, which Berth does not see";

/** `environment:` as a list or a map; entries without a value are left out. */
export function readEnvironment(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.environment`;
  const entries: [string, string][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const line = text(item, `${path}.${index}`, ctx.report);
      if (line === undefined) {
        return;
      }
      const equals = line.indexOf("=");
      if (equals < 0) {
        ctx.report.unsupported(`${path}.${index}`, `${line} ${INHERITED_ENV}`);
      } else {
        entries.push([line.slice(0, equals), line.slice(equals + 1)]);
      }
    });
  } else if (isRecord(value)) {
    for (const [name, raw] of Object.entries(value)) {
      if (raw === null) {
        ctx.report.unsupported(`${path}.${name}`, `${name} ${INHERITED_ENV}`);
        continue;
      }
      const env = text(raw, `${path}.${name}`, ctx.report);
      if (env !== undefined) {
        entries.push([name, env]);
      }
    }
  } else {
    ctx.report.error(path, 'must be a list of "NAME=value" or a map of NAME: value');

    return;
  }
  // fromEntries defines own properties, so a key such as __proto__ stays a plain key.
  ctx.candidate.env = Object.fromEntries(entries);
}
