// Start-up benchmark (numbers, not a test): Zoufang's release build against a bare Leptos 0.8 page built with the
// same settings (bench/bare-leptos), both served by the real Zoufang server (brotli, CSP, cache headers) and
// measured in headless Chromium, interleaved over ROUNDS rounds (default 5; fewer only to try the script). Per round
// and page:
//   - cold start at 1.6 Mbit/s + 150 ms and at 400 kbit/s + 400 ms (CDP network emulation, CPU slowed ×4), fresh
//     browser context (empty HTTP cache, no service worker): time from navigation start to the first usable login
//     input (in the page, visible, not disabled), and the bytes the browser transferred until then (headers +
//     body as sent, i.e. brotli), by kind;
//   - warm offline start: the same context after the service worker took over, network off, CPU ×4;
//   - Zoufang only, unthrottled, service worker off: bytes transferred from a cold start through login to the
//     household list (what the service worker precaches in the background for offline use is not counted);
//   - a Lighthouse run (mobile preset, performance only; tools/lighthouse.mjs) of each page: its score and metrics.
//     LIGHTHOUSE=0 leaves it out.
// Prints medians (min–max) and the ratios Zoufang / bare.
//
//   node tools/bench-start.mjs [zoufang dist] [bare dist]      (scripts/bench-start builds what is missing)

import { chromium } from "playwright-core";
import { startServer, DEMO_HELPER, DEMO_PASSWORD } from "../tests/e2e/server.js";
import { setPin } from "../tests/e2e/phone.js";
import { chromiumArgs } from "../tests/playwright.config.js";
import { METRICS, ensureLighthouse, lighthouse } from "./lighthouse.mjs";

const ROUNDS = Math.max(1, Number(process.env.ROUNDS || 5));
const zoufangDist = process.argv[2] || "dist";
const bareDist = process.argv[3] || "target/bare-leptos-dist";

const NETWORKS = {
  fast: { label: "1.6 Mbit/s, 150 ms", latency: 150, down: 1_600_000 / 8, up: 750_000 / 8 },
  slow: { label: "400 kbit/s, 400 ms", latency: 400, down: 400_000 / 8, up: 400_000 / 8 },
};
const CPU_SLOWDOWN = 4;
const WITH_LIGHTHOUSE = process.env.LIGHTHOUSE !== "0";

// Runs in every page before its own scripts: notes (performance.now(), i.e. since navigation start) when a
// login input is first in the page, visible and enabled.
const WATCH_FIRST_INPUT = `(() => {
  const selector = 'input[autocomplete="username"]';
  const check = () => {
    if (window.__firstInput !== undefined) return;
    const input = document.querySelector(selector);
    if (input && !input.disabled && input.getClientRects().length > 0) {
      window.__firstInput = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener("DOMContentLoaded", check);
})();`;

const kindOf = (url, mimeType) => {
  const path = new URL(url).pathname;
  if (path.startsWith("/api/")) return "api";
  if (path.endsWith(".wasm")) return "wasm";
  if (path.endsWith(".js")) return "js";
  if (path.endsWith(".css")) return "css";
  if (mimeType === "text/html" || !/\.[a-z0-9]+$/.test(path)) return "html";
  return "other";
};

/** Counts what the page's network stack transferred (encodedDataLength: headers and body as sent). */
async function watchBytes(cdp) {
  const requests = new Map();
  const finished = [];
  finished.started = new Set();
  cdp.on("Network.requestWillBeSent", ({ requestId }) => finished.started.add(requestId));
  cdp.on("Network.responseReceived", ({ requestId, response }) => {
    requests.set(requestId, {
      kind: kindOf(response.url, response.mimeType),
      encoding: response.headers["content-encoding"] || response.headers["Content-Encoding"] || "",
      fromServiceWorker: response.fromServiceWorker,
    });
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength, timestamp }) => {
    const request = requests.get(requestId);
    if (request) finished.push({ ...request, requestId, bytes: encodedDataLength, timestamp });
  });
  await cdp.send("Network.enable");
  return finished;
}

const sumBy = (entries) => {
  const out = { total: 0 };
  for (const entry of entries) {
    out[entry.kind] = (out[entry.kind] || 0) + entry.bytes;
    out.total += entry.bytes;
  }
  return out;
};

async function newPage(browser, serviceWorkers = "allow") {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    serviceWorkers,
  });
  await context.addInitScript(WATCH_FIRST_INPUT);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}

async function firstInputTime(page) {
  await page.waitForFunction(() => window.__firstInput !== undefined, null, { timeout: 120_000, polling: 50 });
  return page.evaluate(() => window.__firstInput);
}

/** A cold start on a throttled network; then (same context) a warm start offline through the service worker. */
async function coldAndWarm(browser, url, network, withWarm) {
  const { context, page, cdp } = await newPage(browser);
  try {
    const finished = await watchBytes(cdp);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: network.latency,
      downloadThroughput: network.down,
      uploadThroughput: network.up,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    const cold = await firstInputTime(page);
    // The bytes of everything that had finished loading when the input became usable.
    const bytes = sumBy([...finished]);
    const encodings = [...new Set(finished.filter((entry) => entry.kind === "wasm").map((entry) => entry.encoding || "identity"))];
    if (!withWarm) return { cold, bytes, encodings };

    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const deadline = Date.now() + 60_000;
      while (!navigator.serviceWorker.controller && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    });
    await context.setOffline(true);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.reload({ waitUntil: "commit" });
    const warm = await firstInputTime(page);
    return { cold, bytes, encodings, warm };
  } finally {
    await context.close();
  }
}

/**
 * Unthrottled: bytes from a cold start through login until the household list shows: every request started
 * before the first row was on screen, once it has finished. Requests started later (the prefetch of the household
 * chunk a second after the list is painted) are not what the list needs. The service worker is off: what it
 * downloads in the background (its precache) happens in its own target, which this page session does not see, and
 * would hide what the page itself needs.
 */
async function householdListBytes(browser, url) {
  const { context, page, cdp } = await newPage(browser, "block");
  try {
    const finished = await watchBytes(cdp);
    await page.goto(url);
    await page.getByLabel("手机号").fill(DEMO_HELPER.phone);
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await setPin(page);
    await page.getByTestId("household-row").first().waitFor({ timeout: 60_000 });
    const before = new Set(finished.started);
    await page.waitForLoadState("networkidle");
    return sumBy(finished.filter((entry) => before.has(entry.requestId)));
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

if (WITH_LIGHTHOUSE) ensureLighthouse();
const zoufang = await startServer({ dist: zoufangDist });
const bare = await startServer({ dist: bareDist });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
const samples = { zoufang: {}, bare: {} };
const note = (who, key, value) => (samples[who][key] ||= []).push(value);
const encodings = new Set();
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, network] of Object.entries(NETWORKS)) {
      for (const [who, server] of [["zoufang", zoufang], ["bare", bare]]) {
        const result = await coldAndWarm(browser, server.url, network, name === "fast");
        note(who, `cold_${name}`, result.cold);
        if (name === "fast") {
          note(who, "warm", result.warm);
          for (const [kind, bytes] of Object.entries(result.bytes)) note(who, `bytes_${kind}`, bytes);
        }
        result.encodings.forEach((encoding) => encodings.add(`${who}: ${encoding}`));
      }
    }
    note("zoufang", "list_bytes", (await householdListBytes(browser, zoufang.url)).total);
    if (WITH_LIGHTHOUSE) {
      for (const [who, server] of [["zoufang", zoufang], ["bare", bare]]) {
        const { score, metrics } = lighthouse(`${server.url}/`);
        note(who, "lighthouse", score);
        for (const [id, value] of Object.entries(metrics)) note(who, `lh_${id}`, value);
      }
    }
    process.stderr.write(`round ${round}/${ROUNDS} done\n`);
  }
} finally {
  await browser.close();
  await zoufang.cleanup();
  await bare.cleanup();
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value) => `${Math.round(value)} ms`;
const cell = (who, key, format) => {
  const values = samples[who][key];
  if (!values) return "–";
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
};
const ratio = (key) => {
  const a = samples.zoufang[key];
  const b = samples.bare[key];
  return a && b && median(b) !== 0 ? `${(median(a) / median(b)).toFixed(2)}×` : "–";
};
const rows = [
  ["first-route bytes, all", "bytes_total", kb, "≤ 150 KB"],
  ["  of which wasm", "bytes_wasm", kb, ""],
  ["  of which js", "bytes_js", kb, ""],
  ["  of which css", "bytes_css", kb, ""],
  ["  of which html", "bytes_html", kb, ""],
  ["  of which other (icons, manifest)", "bytes_other", kb, ""],
  ["cold start, 1.6 Mbit/s + 150 ms", "cold_fast", ms, "≤ 1.5× bare"],
  ["cold start, 400 kbit/s + 400 ms", "cold_slow", ms, "≤ 4000 ms"],
  ["warm start offline (service worker)", "warm", ms, "≤ 1.2× bare"],
  ["household list after login, bytes (no SW)", "list_bytes", kb, "≤ 250 KB"],
  ["Lighthouse mobile, performance score", "lighthouse", (value) => value.toFixed(2), "≥ 0.95"],
  ...Object.entries(METRICS).map(([id, label]) =>
    [`  Lighthouse ${label}`, `lh_${id}`, id === "cumulative-layout-shift" ? (value) => value.toFixed(3) : ms, ""]),
];
console.log(`Start-up, ${ROUNDS} rounds interleaved, Chromium, CPU ×${CPU_SLOWDOWN}, 360×740; median (min–max); time = navigation start → first usable login input`);
console.log("metric".padEnd(44) + "Zoufang".padEnd(34) + "bare Leptos".padEnd(34) + "ratio".padEnd(8) + "goal");
for (const [label, key, format, goal] of rows) {
  console.log(label.padEnd(44) + cell("zoufang", key, format).padEnd(34) + cell("bare", key, format).padEnd(34) + ratio(key).padEnd(8) + goal);
}
console.log(`wasm content-encoding: ${[...encodings].sort().join(", ")}`);
