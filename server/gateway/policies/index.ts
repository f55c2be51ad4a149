/** The balancing policies by name; each picks among the backends eligible right now. */
import type { TLbPolicy } from "@/server/apps/spec";

import { consistentHash } from "./consistent-hash";
import { leastConnections } from "./least-connections";
import { powerOfTwoChoices } from "./p2c";
import { randomPick } from "./random";
import { roundRobin } from "./round-robin";
import type { TPolicy, TRandom } from "./types";
import { weightedRoundRobin } from "./weighted";

export type { TCandidate, TPickRequest, TPolicy, TRandom } from "./types";
export { seededRandom } from "./types";

/** A fresh policy of the given kind; `random` feeds the random and p2c policies. */
export function createPolicy(policy: TLbPolicy, random: TRandom = Math.random): TPolicy {
  switch (policy) {
    case "round-robin":
      return roundRobin();
    case "weighted":
      return weightedRoundRobin();
    case "random":
      return randomPick(random);
    case "least-connections":
      return leastConnections();
    case "p2c":
      return powerOfTwoChoices(random);
    case "consistent-hash":
      return consistentHash();
  }
}
