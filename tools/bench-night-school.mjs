// Night-school roster benchmark: a teaching point of 300 households (the demo village grown with invented
// households), the release app in headless Chromium at 360×740 with the CPU slowed ×4 (CDP), against the real
// server. Prints
//   - open the roster: tap 开始记录本周夜校 → the first screen of rows painted, and → all 300 rows on screen (medians
//     of ROUNDS, each on a fresh page; the app builds the rows past the first screen in the frames that follow);
//   - reopen with a draft: from the PIN unlocked after a navigation to 300 rows with their marks on screen (median);
//   - tap → row updated: a tap on 出席 → the row shows its new state (DOM) and → the next frame after it, p50/p95
//     over TAPS taps spread over the list.
// Goals (issue 11): tap → row updated p95 ≤ 50 ms, open the roster ≤ 150 ms. Nothing is asserted.
//
//   scripts/bench-night-school        (builds what is missing, then runs this)

import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/server.js";
import { chromiumArgs } from "../tests/playwright.config.js";
import { growVillage } from "../tests/e2e/night-school-village.js";
import { logIn, unlock } from "../tests/e2e/phone.js";

const HOUSEHOLDS = 300;
const ROUNDS = Number(process.env.ROUNDS || 5);
const TAPS = Number(process.env.TAPS || 60);
const CPU = Number(process.env.CPU || 4);
// REOPEN=0 leaves out the reopen measurement (a page load with the wasm start each round: slow on a loaded machine).
const REOPEN = process.env.REOPEN !== "0";
// Roster rows a 360×740 screen shows under the fields and counts, with room to spare.
const FIRST_SCREEN = 20;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value) => `${value.toFixed(1)} ms`;

let server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
try {
  server = await growVillage(server, HOUSEHOLDS);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await logIn(page, server.url, "13800000005");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });

  // Open the roster: from the tap on 开始 to the first screen of rows painted (the rows a 360×740 screen shows,
  // FIRST_SCREEN of them) and to all 300 rows on screen (then the draft is dropped for the next round). Each time is
  // taken at the frame after the rows exist, i.e. once they are painted.
  const opens = [];
  const firstScreens = [];
  for (let round = 0; round < ROUNDS; round++) {
    await page.reload();
    await unlock(page);
    await page.getByTestId("ns-start").waitFor();
    await page.waitForTimeout(300);
    const { first, all } = await page.evaluate(
      ({ count, firstScreen }) =>
        new Promise((resolve) => {
          const start = performance.now();
          let first = null;
          document.querySelector('[data-testid="ns-start"]').click();
          const check = () => {
            const rows = document.querySelectorAll('[data-testid="ns-row"]').length;
            if (first === null && rows >= firstScreen) {
              requestAnimationFrame(() => {
                first = first ?? performance.now() - start;
              });
            }
            if (rows >= count) {
              requestAnimationFrame(() => {
                const at = performance.now() - start;
                resolve({ first: first ?? at, all: at });
              });
            } else {
              requestAnimationFrame(check);
            }
          };
          check();
        }),
      { count: HOUSEHOLDS, firstScreen: FIRST_SCREEN },
    );
    firstScreens.push(first);
    opens.push(all);
  }
  console.log(`night-school roster, ${HOUSEHOLDS} households, CPU ×${CPU}, 360×740, release build`);
  console.log(`  open the roster (tap 开始 → first ${FIRST_SCREEN} rows painted): median ${ms(quantile(firstScreens, 0.5))}  [${firstScreens.map(ms).join(", ")}]  (goal ≤ 150 ms)`);
  console.log(`  open the roster (tap 开始 → all ${HOUSEHOLDS} rows on screen): median ${ms(quantile(opens, 0.5))}  [${opens.map(ms).join(", ")}]`);

  // Tap → row updated, on the open roster (the last round's). Taps spread over the list, each after the last settled.
  const taps = await page.evaluate(
    async ({ count, taps }) => {
      const rows = [...document.querySelectorAll('[data-testid="ns-row"]')];
      const dom = [];
      const frame = [];
      for (let n = 0; n < taps; n++) {
        const row = rows[Math.floor((n * rows.length) / taps) % count];
        const before = row.getAttribute("data-status");
        const button = row.querySelector('[data-testid="ns-present"]');
        const start = performance.now();
        const changed = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (row.getAttribute("data-status") !== before) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(row, { attributes: true, attributeFilter: ["data-status"] });
        });
        button.click();
        const at = await changed;
        dom.push(at - start);
        await new Promise((resolve) => requestAnimationFrame(() => resolve()));
        frame.push(performance.now() - start);
        // Let the save that follows a mark finish, as between two people walking in.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      return { dom, frame };
    },
    { count: HOUSEHOLDS, taps: TAPS },
  );

  console.log(`  tap → row updated (DOM):       p50 ${ms(quantile(taps.dom, 0.5))}  p95 ${ms(quantile(taps.dom, 0.95))}  max ${ms(Math.max(...taps.dom))}  (goal p95 ≤ 50 ms)`);
  console.log(`  tap → next frame after it:     p50 ${ms(quantile(taps.frame, 0.5))}  p95 ${ms(quantile(taps.frame, 0.95))}  max ${ms(Math.max(...taps.frame))}`);
  // Reopen with the draft on the phone: navigation → 300 rows with their marks.
  const reopens = [];
  for (let round = 0; round < (REOPEN ? ROUNDS : 0); round++) {
    await page.goto(`${server.url}/night-school`);
    await unlock(page);
    const unlockedAt = await page.evaluate(() => performance.now());
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="ns-row"][data-status]').length >= Math.min(count, 1) && document.querySelectorAll('[data-testid="ns-row"]').length >= count, HOUSEHOLDS, { polling: "raf", timeout: 60_000 });
    reopens.push((await page.evaluate(() => performance.now())) - unlockedAt);
  }

  if (REOPEN) console.log(`  reopen with a draft (PIN unlocked → marked rows): median ${ms(quantile(reopens, 0.5))}  [${reopens.map(ms).join(", ")}]`);
} finally {
  await browser.close();
  await server.cleanup();
}
