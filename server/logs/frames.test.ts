import { describe, expect, it } from "vitest";

import {
  CUT_MARK,
  FrameDecoder,
  LineSplitter,
  LogDecoder,
  MAX_LINE_BYTES,
  dateOf,
  nanosOf,
  sinceOf,
} from "./frames";

function frame(type: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === "string" ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);

  return Buffer.concat([header, payload]);
}

const T1 = "2026-12-03T19:00:00.123456789Z";
const T2 = "2026-12-03T19:00:01.000000001Z";

describe("timestamps", () => {
  it("reads nanoseconds and gives the engine's since form back", () => {
    const nanos = nanosOf(T1);

    expect(nanos).toBe(1796324400123456789n);
    expect(sinceOf(nanos ?? 0n)).toBe("1796324400.123456789");
    expect(sinceOf((nanos ?? 0n) + 1n)).toBe("1796324400.123456790");
    expect(dateOf(nanos ?? 0n).toISOString()).toBe("2026-12-03T19:00:00.123Z");
  });

  it("accepts short fractions and offsets, and refuses other text", () => {
    expect(nanosOf("2026-12-03T19:00:00Z")).toBe(1796324400000000000n);
    expect(nanosOf("2026-12-03T19:00:00.5Z")).toBe(1796324400500000000n);
    expect(nanosOf("2026-12-03T20:00:00+01:00")).toBe(1796324400000000000n);
    expect(nanosOf("hello")).toBeUndefined();
  });
});

describe("FrameDecoder", () => {
  it("keeps partial headers and payloads until they complete", () => {
    const raw = Buffer.concat([frame(1, "out\n"), frame(2, "err\n")]);
    const decoder = new FrameDecoder();
    const frames = [];
    for (let i = 0; i < raw.length; i += 3) {
      frames.push(...decoder.push(raw.subarray(i, i + 3)));
    }

    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
      ["stdout", "out\n"],
      ["stderr", "err\n"],
    ]);
  });
});

describe("LineSplitter", () => {
  it("buffers a partial line until its newline", () => {
    const splitter = new LineSplitter();

    expect(splitter.push(Buffer.from("hel"))).toEqual([]);
    expect(splitter.push(Buffer.from("lo\nwor"))).toEqual(["hello"]);
    expect(splitter.push(Buffer.from("ld\n\nlast"))).toEqual(["world", ""]);
    expect(splitter.flush()).toEqual(["last"]);
    expect(splitter.flush()).toEqual([]);
  });

  it("cuts a long line at the cap, marks it, and drops its rest", () => {
    const splitter = new LineSplitter(10);
    const first = splitter.push(Buffer.from("0123456789abc"));

    expect(first).toEqual([`0123456789${CUT_MARK}`]);
    expect(splitter.push(Buffer.from("def\nnext\n"))).toEqual(["next"]);
  });

  it("never cuts inside a UTF-8 character", () => {
    const splitter = new LineSplitter(4);
    const [line] = splitter.push(Buffer.from("abcé and more\n"));

    expect(line).toBe(`abc${CUT_MARK}`);
  });

  it("cuts a line that ends in the same chunk", () => {
    const splitter = new LineSplitter(4);

    expect(splitter.push(Buffer.from("abcdefgh\nok\n"))).toEqual([`abcd${CUT_MARK}`, "ok"]);
  });
});

describe("LogDecoder", () => {
  it("splits timestamps off, per stream, with keys unique for equal stamps", () => {
    const decoder = new LogDecoder();
    const raw = Buffer.concat([
      frame(1, `${T1} one\n${T1} two\n`),
      frame(2, `${T2} oops\r\n`),
      frame(1, `${T2} a\u0000b`),
    ]);
    const lines = decoder.push(raw);

    expect(lines.map((l) => [l.stream, l.line, l.key])).toEqual([
      ["stdout", "one", "1796324400123456789.0"],
      ["stdout", "two", "1796324400123456789.1"],
      ["stderr", "oops", "1796324401000000001.0"],
    ]);
    expect(decoder.flush().map((l) => l.line)).toEqual(["ab"]);
  });

  it("caps a very long line at 16 KiB", () => {
    const decoder = new LogDecoder();
    const long = "x".repeat(MAX_LINE_BYTES * 2);
    const lines = decoder.push(frame(1, `${T1} ${long}\n${T2} short\n`));

    expect(lines).toHaveLength(2);
    expect(lines[0]?.line.endsWith(CUT_MARK)).toBe(true);
    expect(lines[0]?.line.length).toBeLessThan(MAX_LINE_BYTES + 64);
    expect(lines[1]?.line).toBe("short");
  });

  it("stamps lines without a timestamp with the fallback time", () => {
    const decoder = new LogDecoder(() => 42n);

    expect(decoder.push(frame(1, "plain\n"))).toEqual([
      { stream: "stdout", nanos: 42n, key: "42.0", line: "plain" },
    ]);
  });
});
