#!/usr/bin/env node
// Adds up the JSON reports of vitest and Playwright into one closing line:
//   tests: N passed, N failed, N skipped
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [dir = "test-results", failedStepsText = "0"] = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };

function read(file) {
  const full = path.join(dir, file);

  return existsSync(full) ? JSON.parse(readFileSync(full, "utf8")) : null;
}

for (const file of ["unit.json", "integration.json"]) {
  const report = read(file);
  if (report) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  }
}

const e2e = read("e2e.json");
if (e2e) {
  totals.passed += e2e.stats.expected + e2e.stats.flaky;
  totals.failed += e2e.stats.unexpected;
  totals.skipped += e2e.stats.skipped;
}

// A step that failed outside any test (lint, types, a crashed runner) counts as a failure.
const stepFailures = Number(failedStepsText);
if (stepFailures > 0 && totals.failed === 0) {
  totals.failed = stepFailures;
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
