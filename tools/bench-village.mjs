// Village view benchmark (numbers, not a test): a first secretary's phone holding 300 households, in headless
// Chromium against the real server, with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate). Prints, median and
// worst of RUNS, for a tap on the 全村 tab (from 我的):
//   - tap → the colour summary on screen;
//   - tap → all 300 rows of the village list on screen (reading the households from IndexedDB, deriving the view,
//     rendering; goal ≤ 100 ms);
//   - a colour filter: tap on 红 → the list shows only red households.
// The 300 households are the demo village's 12, copied under fresh ids and spread over ten 组 (as a sync would
// have stored them); the phone is offline while measuring, so the page's refresh cannot replace them.
//
//   node tools/bench-village.mjs      (scripts/bench-village builds what it needs first)

import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/server.js";
import { chromiumArgs } from "../tests/playwright.config.js";

const HOUSEHOLDS = Number(process.env.HOUSEHOLDS || 300);
const RUNS = Number(process.env.RUNS || 7);
const CPU_SLOWDOWN = Number(process.env.CPU_SLOWDOWN || 4);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel("手机号").fill("13800000004");
  await page.getByLabel("密码").fill("zoufang2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByTestId("village-row").first().waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);

  // Copies the synced households up to HOUSEHOLDS, each with a fresh id and 户编号, over ten 组.
  const stored = await page.evaluate(async (target) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = db.transaction("households").objectStore("households").getAll();
    const originals = await new Promise((resolve) => { read.onsuccess = () => resolve(read.result); });
    const groups = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组", "九组", "十组"];
    const tx = db.transaction("households", "readwrite");
    const store = tx.objectStore("households");
    store.clear();
    for (let i = 0; i < target; i++) {
      const assigned = JSON.parse(originals[i % originals.length]);
      const id = crypto.randomUUID();
      assigned.household.id = id;
      assigned.household.household_code = `B${String(i).padStart(4, "0")}`;
      assigned.household.address.group = groups[i % groups.length];
      store.put(JSON.stringify(assigned), id);
    }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
    return target;
  }, HOUSEHOLDS);

  await server.stop();
  await context.setOffline(true);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });

  // Tap 全村 from 我的 and wait, inside the page, until the summary and then every row are on screen (after the
  // frame that paints them).
  const tapToVillage = () =>
    page.evaluate(async (expected) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const rows = () => document.querySelectorAll('[data-testid="village-households"] [data-testid="village-row"]').length;
      const start = performance.now();
      let summaryAt = null;
      const done = new Promise((resolve) => {
        const check = () => {
          if (summaryAt === null && document.querySelector('[data-testid="village-summary"]')) summaryAt = performance.now();
          if (rows() === expected) {
            observer.disconnect();
            resolve(performance.now());
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
      });
      document.querySelector('nav a[href="/village"]').click();
      const listed = await done;
      await frame();
      return { summary: summaryAt - start, list: listed - start, painted: performance.now() - start };
    }, stored);

  const filterRed = () =>
    page.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const button = document.querySelector('[data-testid="village-count"][data-colour="Red"]');
      const expected = Number(button.querySelector(".village-count-number").textContent);
      const start = performance.now();
      button.click();
      await new Promise((resolve) => {
        const check = () => {
          const shown = document.querySelectorAll('[data-testid="village-households"] [data-testid="village-row"]').length;
          if (shown === expected) { observer.disconnect(); resolve(); }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
        check();
      });
      await frame();
      const took = performance.now() - start;
      button.click();
      return { took, expected };
    });

  const summary = [];
  const list = [];
  const painted = [];
  const filter = [];
  let red = 0;
  for (let run = 0; run < RUNS; run++) {
    await page.getByRole("navigation").locator('a[href="/me"]').click();
    await page.getByRole("button", { name: "English" }).waitFor();
    const result = await tapToVillage();
    summary.push(result.summary);
    list.push(result.list);
    painted.push(result.painted);
    const filtered = await filterRed();
    filter.push(filtered.took);
    red = filtered.expected;
  }
  console.log(`village view, ${stored} households, CPU ×${CPU_SLOWDOWN}, ${RUNS} runs (median / worst)`);
  console.log(`  tap 全村 → colour summary on screen    ${ms(median(summary))} / ${ms(Math.max(...summary))}`);
  console.log(`  tap 全村 → all ${stored} rows in the DOM   ${ms(median(list))} / ${ms(Math.max(...list))}`);
  console.log(`  tap 全村 → next frame painted          ${ms(median(painted))} / ${ms(Math.max(...painted))}   (goal ≤ 100 ms)`);
  console.log(`  tap 红 → list of ${red} red households     ${ms(median(filter))} / ${ms(Math.max(...filter))}`);
  await context.close();
} finally {
  await browser.close();
  await server.cleanup();
}
