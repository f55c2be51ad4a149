import { describe, expect, it } from "vitest";

import {
  formatBytes,
  formatCpuPercent,
  formatCpus,
  formatLogTime,
  formatRate,
  formatDateTime,
  formatPort,
  formatRelativeTime,
  plural,
  uniquePorts,
} from "./format";

describe("formatBytes", () => {
  it("uses binary units with one decimal below ten", () => {
    expect(formatBytes(8_369_000_000)).toBe("7.8 GiB");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(512 * 1024 * 1024)).toBe("512 MiB");
  });

  it("keeps plain bytes and rejects nonsense", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });

  it("stops at the largest unit", () => {
    expect(formatBytes(1024 ** 6)).toBe("1024 PiB");
  });
});

describe("formatCpus", () => {
  it("pluralises and trims fractions", () => {
    expect(formatCpus(1)).toBe("1 CPU");
    expect(formatCpus(4)).toBe("4 CPUs");
    expect(formatCpus(0.5)).toBe("0.5 CPU");
    expect(formatCpus(1.25)).toBe("1.25 CPUs");
    expect(formatCpus(-2)).toBe("—");
  });
});

describe("formatCpuPercent and formatRate", () => {
  it("keeps one decimal below ten percent and none above", () => {
    expect(formatCpuPercent(0.42)).toBe("0.4 %");
    expect(formatCpuPercent(12.6)).toBe("13 %");
    expect(formatCpuPercent(230)).toBe("230 %");
  });

  it("writes byte rates per second in binary units", () => {
    expect(formatRate(1536.4)).toBe("1.5 KiB/s");
    expect(formatRate(0)).toBe("0 B/s");
  });
});

describe("formatLogTime", () => {
  it("shows local time to the millisecond", () => {
    expect(formatLogTime(new Date(2026, 11, 3, 14, 3, 7, 5))).toBe("14:03:07.005");
  });
});

describe("formatRelativeTime", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  const ago = (ms: number) => formatRelativeTime(new Date(now.getTime() - ms), now);

  it("reads seconds, minutes, hours and days", () => {
    expect(ago(0)).toBe("just now");
    expect(ago(2_000)).toBe("2 s ago");
    expect(ago(59_999)).toBe("59 s ago");
    expect(ago(5 * 60_000)).toBe("5 min ago");
    expect(ago(3 * 3_600_000)).toBe("3 h ago");
    expect(ago(2 * 86_400_000)).toBe("2 d ago");
  });

  it("treats small clock skew as now and old times as dates", () => {
    expect(ago(-5_000)).toBe("just now");
    expect(ago(60 * 86_400_000)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });
});

describe("formatDateTime", () => {
  it("pads every part", () => {
    expect(formatDateTime(new Date(2026, 0, 2, 3, 4, 5))).toBe("2026-01-02 03:04:05");
  });
});

describe("formatPort", () => {
  it("shows published and exposed ports", () => {
    expect(formatPort({ ip: "127.0.0.3", publicPort: 18080, privatePort: 8080, type: "tcp" })).toBe(
      "127.0.0.3:18080→8080/tcp",
    );
    expect(formatPort({ publicPort: 80, privatePort: 80, type: "tcp" })).toBe("80→80/tcp");
    expect(formatPort({ privatePort: 53, type: "udp" })).toBe("53/udp");
  });

  it("lists each mapping once, IPv4 first and published first", () => {
    const ports = [
      { privatePort: 9000, type: "tcp" },
      { ip: "0.0.0.0", publicPort: 80, privatePort: 8080, type: "tcp" },
      { ip: "::", publicPort: 80, privatePort: 8080, type: "tcp" },
      { ip: "0.0.0.0", publicPort: 80, privatePort: 8080, type: "tcp" },
    ];
    expect(uniquePorts(ports)).toEqual(["0.0.0.0:80→8080/tcp", "9000/tcp"]);
  });
});

describe("plural", () => {
  it("agrees with the count", () => {
    expect(plural(1, "node")).toBe("1 node");
    expect(plural(3, "node")).toBe("3 nodes");
    expect(plural(0, "replica")).toBe("0 replicas");
  });
});
