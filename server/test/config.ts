/** Where integration tests find their real parts: a PostgreSQL server and the lab engines. */
export const TEST_DATABASE_URL =
  process.env.DATABASE_URL ?? "postgresql://berth:berth@127.0.0.1:5432/berth_test";

/** Lab node K answers on 127.0.0.(K+1):2375 (scripts/lab.sh). */
export function labEndpoint(k: number): string {
  return `tcp://127.0.0.${k + 1}:2375`;
}

export const LAB_NODE_COUNT = 3;

/** The lab's mutual-TLS node (scripts/lab.sh tls 4) and its client certificate files. */
export const LAB_TLS_NODE = 4;
export const LAB_TLS_ENDPOINT = "tcp://127.0.0.5:2376";
export const LAB_TLS_DIR = "/var/lib/berth-lab/tls/n4";
