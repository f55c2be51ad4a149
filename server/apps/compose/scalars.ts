/**
 * Scalars in a Compose file: text (with `$$` undone and variables refused), command lines split
 * into words as a shell would, durations in milliseconds and sizes in bytes.
 */
import { GIB_BYTES, KIB_BYTES, MIB_BYTES, TIB_BYTES } from "../spec";

import { type TReport, typeName } from "./types";

const INTERPOLATION = /\$(\{|[A-Za-z_])/;

/**
 * A scalar as text, with Compose's `$$` escape undone. `${VAR}` and `$VAR` are refused:
 * Compose fills them from the shell or `.env`, which Berth never sees.
 */
export function text(value: unknown, path: string, report: TReport): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  if (typeof value !== "string") {
    report.error(path, `must be text, not ${typeName(value)}`);

    return undefined;
  }
  const parts = value.split("$$");
  if (parts.some((part) => INTERPOLATION.test(part))) {
    report.error(
      path,
      "uses a variable (${...}); Compose fills it from the shell or .env, Berth does not: " +
        "write the value",
    );

    return undefined;
  }

  return parts.join("$");
}

/**
 * Splits a command line into words as a POSIX shell would, without running one: quotes group,
 * backslashes escape, and nothing is expanded. Returns undefined for an unclosed quote.
 */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let hasWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const char = line.charAt(i);
    if (quote === "'") {
      if (char === "'") {
        quote = null;
      } else {
        word += char;
      }
    } else if (quote === '"') {
      if (char === '"') {
        quote = null;
      } else if (char === "\\" && i + 1 < line.length && '\\"$`\n'.includes(line.charAt(i + 1))) {
        i += 1;
        word += line.charAt(i) === "\n" ? "" : line.charAt(i);
      } else {
        word += char;
      }
    } else if (char === "'" || char === '"') {
      quote = char;
      hasWord = true;
    } else if (char === "\\") {
      i += 1;
      if (i < line.length && line.charAt(i) !== "\n") {
        word += line.charAt(i);
        hasWord = true;
      }
    } else if (/\s/.test(char)) {
      if (hasWord) {
        words.push(word);
      }
      word = "";
      hasWord = false;
    } else {
      word += char;
      hasWord = true;
    }
  }
  if (quote !== null) {
    return undefined;
  }
  if (hasWord) {
    words.push(word);
  }

  return words;
}

const DURATION_UNITS_MS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Compose duration (`1m30s`, `500ms`, `10s`) in milliseconds, or undefined. */
export function parseDuration(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^(\d+(\.\d+)?(us|ms|s|m|h))+$/.test(trimmed)) {
    return undefined;
  }
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) {
    total += Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ""] ?? 0);
  }

  return total;
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  k: KIB_BYTES,
  m: MIB_BYTES,
  g: GIB_BYTES,
  t: TIB_BYTES,
};

/** A Compose size (`512M`, `1g`, `1.5GiB`, `1024`) in bytes, binary units as Docker reads them. */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  }
  const match = /^(\d+(?:\.\d+)?)\s?([kmgt]?)(?:i?b)?$/i.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const unit = SIZE_UNITS[(match[2] ?? "").toLowerCase()] ?? 1;

  return Math.round(Number(match[1]) * unit);
}

/** A duration field in whole milliseconds; errors and rounding are reported. */
export function readDurationMs(value: unknown, path: string, report: TReport): number | undefined {
  const raw = text(value, path, report);
  const ms = raw === undefined ? undefined : parseDuration(raw);
  if (ms === undefined) {
    if (raw !== undefined) {
      report.error(path, `"${raw}" is not a duration: use e.g. 10s, 1m30s or 500ms`);
    }

    return undefined;
  }
  if (!Number.isInteger(ms)) {
    report.note(path, `rounded to ${Math.round(ms)} ms`);
  }

  return Math.round(ms);
}
