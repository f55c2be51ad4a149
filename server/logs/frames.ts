/**
 * Reading a container's log as the Engine API sends it: multiplexed frames (an 8-byte header
 * with the stream type and a big-endian payload length, then the payload), each line prefixed
 * by its RFC 3339 timestamp with nanoseconds. Frames and lines may be cut anywhere by the
 * transport, so both are buffered until complete.
 */
import type { LOG_STREAMS } from "./schema";

export type TLogStream = (typeof LOG_STREAMS)[number];

/** Longer lines are stored cut at this size (on a character boundary), marked by CUT_MARK. */
export const MAX_LINE_BYTES = 16 * 1024;
export const CUT_MARK = " [cut: longer than 16 KiB]";
/** Room for the timestamp prefix ("2026-01-02T03:04:05.123456789Z ") before the cap applies. */
const TIMESTAMP_ROOM_BYTES = 40;
const HEADER_BYTES = 8;
const NEWLINE = 0x0a;
const STDERR_TYPE = 2;
const NANOS_PER_MS = 1_000_000n;
const NANOS_PER_S = 1_000_000_000n;

/** One complete line of a container's log, with its engine timestamp. */
export type TRawLogLine = {
  stream: TLogStream;
  /** Nanoseconds since the Unix epoch, as the engine stamped the line. */
  nanos: bigint;
  /** Unique within the container's log: nanos, plus a counter for lines stamped alike. */
  key: string;
  line: string;
};

/** Nanoseconds since the epoch of an RFC 3339 time; undefined when it is not one. */
export function nanosOf(text: string): bigint | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) {
    return undefined;
  }
  const fraction = BigInt((match[2] ?? "").padEnd(9, "0"));

  return (BigInt(seconds) / 1000n) * NANOS_PER_S + fraction;
}

/** The engine's `since` parameter ("seconds.nanoseconds") for lines at or after `nanos`. */
export function sinceOf(nanos: bigint): string {
  const seconds = nanos / NANOS_PER_S;
  const fraction = (nanos % NANOS_PER_S).toString().padStart(9, "0");

  return `${seconds}.${fraction}`;
}

export function dateOf(nanos: bigint): Date {
  return new Date(Number(nanos / NANOS_PER_MS));
}

export function nanosOfDate(at: Date): bigint {
  return BigInt(at.getTime()) * NANOS_PER_MS;
}

/** Where to cut `bytes` at most `limit` long without splitting a UTF-8 character. */
function cutPoint(bytes: Buffer, limit: number): number {
  let end = Math.min(limit, bytes.length);
  // 0b10xxxxxx bytes continue a character: back up to the byte that starts it.
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) {
    end -= 1;
  }

  return end;
}

/** Splits one stream's payloads into lines; keeps a partial line until its newline comes. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set after a cut: the rest of that line is dropped up to its newline. */
  private isDiscarding = false;

  constructor(private readonly maxBytes = MAX_LINE_BYTES + TIMESTAMP_ROOM_BYTES) {}

  /** The lines completed by `payload`, a cut line counting as complete. */
  push(payload: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    while (start < payload.length) {
      const newline = payload.indexOf(NEWLINE, start);
      const end = newline === -1 ? payload.length : newline;
      if (!this.isDiscarding) {
        this.pending.push(payload.subarray(start, end));
        this.pendingBytes += end - start;
      }
      if (newline === -1) {
        if (!this.isDiscarding && this.pendingBytes > this.maxBytes) {
          lines.push(this.take());
          this.isDiscarding = true;
        }
        break;
      }
      if (this.isDiscarding) {
        this.isDiscarding = false;
      } else {
        lines.push(this.take());
      }
      start = newline + 1;
    }

    return lines;
  }

  /** The partial line left at the end of a stream, if any. */
  flush(): string[] {
    if (this.isDiscarding || this.pendingBytes === 0) {
      this.reset();

      return [];
    }

    return [this.take()];
  }

  private take(): string {
    const bytes = Buffer.concat(this.pending);
    const isCut = bytes.length > this.maxBytes;
    const kept = isCut ? bytes.subarray(0, cutPoint(bytes, this.maxBytes)) : bytes;
    this.reset();

    return kept.toString("utf8") + (isCut ? CUT_MARK : "");
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** Splits a byte stream into frames; keeps a partial header or payload until it completes. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { stream: TLogStream; payload: Buffer }[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: { stream: TLogStream; payload: Buffer }[] = [];
    let offset = 0;
    while (offset + HEADER_BYTES <= this.buffered.length) {
      const length = this.buffered.readUInt32BE(offset + 4);
      if (offset + HEADER_BYTES + length > this.buffered.length) {
        break;
      }
      const type = this.buffered[offset];
      frames.push({
        stream: type === STDERR_TYPE ? "stderr" : "stdout",
        payload: this.buffered.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length),
      });
      offset += HEADER_BYTES + length;
    }
    this.buffered = this.buffered.subarray(offset);

    return frames;
  }
}

/**
 * Turns a container's raw log stream into lines: frames, then lines per stream, then the
 * timestamp split off each line. Lines without a readable timestamp get `fallbackNanos()`.
 */
export class LogDecoder {
  private readonly frames = new FrameDecoder();
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  private lastNanos = -1n;
  private sameNanos = 0;

  constructor(private readonly fallbackNanos: () => bigint = () => nanosOfDate(new Date())) {}

  push(chunk: Buffer): TRawLogLine[] {
    return this.frames
      .push(chunk)
      .flatMap(({ stream, payload }) =>
        this.splitters[stream].push(payload).map((text) => this.parse(stream, text)),
      );
  }

  /** Partial lines left when the stream ended. */
  flush(): TRawLogLine[] {
    return (["stdout", "stderr"] as const).flatMap((stream) =>
      this.splitters[stream].flush().map((text) => this.parse(stream, text)),
    );
  }

  private parse(stream: TLogStream, text: string): TRawLogLine {
    const space = text.indexOf(" ");
    const stamped = space === -1 ? undefined : nanosOf(text.slice(0, space));
    const nanos = stamped ?? this.fallbackNanos();
    // PostgreSQL text cannot hold NUL; a trailing CR is a Windows-style line end.
    const line = (stamped === undefined ? text : text.slice(space + 1))
      .replaceAll("\u0000", "")
      .replace(/\r$/, "");
    this.sameNanos = nanos === this.lastNanos ? this.sameNanos + 1 : 0;
    this.lastNanos = nanos;

    return { stream, nanos, key: `${nanos}.${this.sameNanos}`, line };
  }
}
