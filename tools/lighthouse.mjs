// One Lighthouse run (mobile preset: simulated 1.6 Mbit/s, 150 ms, CPU ×4; performance only) of a page, in
// Chromium from the system. Lighthouse is not part of the project's packages (it is 176 MB); scripts/bench-start
// installs the pinned version below into target/lighthouse when it is missing.
//
//   node tools/lighthouse.mjs URL           prints the score and the metrics

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const LIGHTHOUSE_VERSION = "13.5.0";
const root = fileURLToPath(new URL("..", import.meta.url));
export const LIGHTHOUSE_PREFIX = join(root, "target", "lighthouse");
const cli = join(LIGHTHOUSE_PREFIX, "node_modules", "lighthouse", "cli", "index.js");

export const METRICS = {
  "first-contentful-paint": "FCP",
  "largest-contentful-paint": "LCP",
  "total-blocking-time": "TBT",
  "speed-index": "SI",
  "cumulative-layout-shift": "CLS",
};

/** Installs Lighthouse into target/lighthouse unless it is there. */
export function ensureLighthouse() {
  if (existsSync(cli)) return;
  execFileSync("npm", [
    "install", "--no-audit", "--no-fund", "--no-save", "--prefix", LIGHTHOUSE_PREFIX, `lighthouse@${LIGHTHOUSE_VERSION}`,
  ], { stdio: "inherit" });
}

/** The performance score (0–1) and the metrics' numeric values (ms; CLS unitless) of one run. */
function runOnce(url) {
  let output;
  try {
    output = execFileSync("node", [
      cli, url, "--output=json", "--quiet", "--only-categories=performance",
      "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
    ], {
      env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH || "/usr/bin/chromium" },
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(`lighthouse failed: ${String(error.stderr || error.message).trim().split("\n")[0]}`);
  }
  const report = JSON.parse(output);
  if (report.runtimeError) throw new Error(`lighthouse: ${report.runtimeError.code} ${report.runtimeError.message}`);
  const metrics = Object.fromEntries(Object.keys(METRICS).map((id) => [id, report.audits[id].numericValue]));
  return { score: report.categories.performance.score, metrics };
}

/** One run, tried up to three times: Lighthouse now and then fails to record its trace. */
export function lighthouse(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return runOnce(url);
    } catch (error) {
      if (attempt === 3) throw error;
      process.stderr.write(`${error.message}; trying again\n`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureLighthouse();
  console.log(JSON.stringify(lighthouse(process.argv[2]), null, 2));
}
