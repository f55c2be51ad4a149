/**
 * CPU used by a process and everything it started (tsx's node child, nginx's workers), read
 * from /proc: utime + stime of each live process in the tree, in milliseconds.
 */
import { readFile, readdir } from "node:fs/promises";

/** The kernel's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

type TStat = { ppid: number; ticks: number };

async function statOf(pid: number): Promise<TStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");

    // ppid is field 4 of the stat line, utime and stime fields 14 and 15.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by `root` and its live descendants. */
export async function treeCpuMs(root: number): Promise<number> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = new Map<number, TStat>();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await statOf(pid);
      if (stat) {
        stats.set(pid, stat);
      }
    }),
  );
  const childrenOf = new Map<number, number[]>();
  for (const [pid, stat] of stats) {
    childrenOf.set(stat.ppid, [...(childrenOf.get(stat.ppid) ?? []), pid]);
  }
  let ticks = 0;
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    ticks += stats.get(pid)?.ticks ?? 0;
    pending.push(...(childrenOf.get(pid) ?? []));
  }

  return (ticks * 1000) / TICKS_PER_SECOND;
}
