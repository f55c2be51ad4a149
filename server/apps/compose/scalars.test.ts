import { describe, expect, it } from "vitest";

import { GIB_BYTES, MIB_BYTES } from "../spec";

import { parseBytes, parseDuration, splitWords } from "./scalars";

describe("splitWords", () => {
  it.each([
    ["node server.js", ["node", "server.js"]],
    ["  a   b  ", ["a", "b"]],
    [`echo "a b" 'c d'`, ["echo", "a b", "c d"]],
    [`echo "say \\"hi\\"" it\\'s`, ["echo", 'say "hi"', "it's"]],
    [`printf '%s\\n' $HOME`, ["printf", "%s\\n", "$HOME"]],
    [`a "" b`, ["a", "", "b"]],
    ["echo a && rm -rf /", ["echo", "a", "&&", "rm", "-rf", "/"]],
    ["", []],
  ])("splits %j", (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  it("refuses an unclosed quote", () => {
    expect(splitWords(`echo "oops`)).toBeUndefined();
    expect(splitWords("echo 'oops")).toBeUndefined();
  });
});

describe("durations and sizes", () => {
  it.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    ["2m0s", 120_000],
  ])("reads the duration %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "ten s", "1d", "-5s", "5s 3"])("refuses the duration %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    ["512M", 512 * MIB_BYTES],
    ["512m", 512 * MIB_BYTES],
    ["1g", GIB_BYTES],
    ["1GiB", GIB_BYTES],
    ["1gb", GIB_BYTES],
    ["1.5g", 1.5 * GIB_BYTES],
    ["1024", 1024],
    [2048, 2048],
  ])("reads the size %s", (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each(["", "lots", "1x", "-1g", "1 2g"])("refuses the size %j", (text) => {
    expect(parseBytes(text)).toBeUndefined();
  });
});
