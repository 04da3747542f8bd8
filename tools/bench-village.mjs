// Village view benchmark (numbers, not a test): a first secretary's phone holding 300 households, in headless
// Chromium against the real server, with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate). Prints, median and
// worst of RUNS, for a tap on the 全村 tab (from 我的):
//   - tap → the colour summary of all 300 households on screen;
//   - tap → the first page of the village list (10 rows, with their reasons and badges) on screen;
//   - tap → the next frame painted after both (goal ≤ 100 ms): the first task after that frame's animation-frame
//     callbacks, so it counts any task the page itself queued there too;
//   - tap → that frame presented, as Element Timing reports it for the summary and the last row (the browser's own
//     presentation time, independent of the page's tasks);
//   - a colour filter: tap on 红 → the list shows only red households (its first page);
//   - 显示更多: one more page of rows.
// The 300 households are the demo village's 12, copied under fresh ids and spread over ten 组 (as a sync would
// have stored them); the phone is offline while measuring, so the page's refresh cannot replace them. The households
// are written straight into IndexedDB, so the village digests a sync keeps beside them are removed: the first tap
// builds them from every household (printed apart as the cold open), the later taps read them as after any sync.
// The later taps also find the village the logged-in frame derived last (`LastVillage`): it is drawn at once and
// the phone is read again after it, so their time is the drawing, not the reading. The first draw of a session is
// the landing after the PIN, which has nothing kept: printed apart, from the page's first mark (it starts reading)
// to the frame that paints the summary and the first page.
//
//   node tools/bench-village.mjs      (scripts/bench-village builds what it needs first)
//   PROFILE=1 ZOUFANG_DIST=<a KEEP_NAMES=1 build> node tools/bench-village.mjs
//                                     also samples the CPU during the timed taps and prints the functions with the
//                                     most self time (the sampling slows the taps: its times are not the goal's)
//   TRACE=1 node tools/bench-village.mjs
//                                     also traces the renderer during the timed taps and prints the main thread's
//                                     time by trace event (script, style, layout, paint …)

import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/server.js";
import { chromiumArgs } from "../tests/playwright.config.js";
import { logIn, reloadAndUnlock } from "../tests/e2e/phone.js";
import { withVault } from "../tests/e2e/vault.js";

const HOUSEHOLDS = Number(process.env.HOUSEHOLDS || 300);
const RUNS = Number(process.env.RUNS || 7);
const CPU_SLOWDOWN = Number(process.env.CPU_SLOWDOWN || 4);

/// Rows the village list shows before 显示更多 (app/src/pages/village/rows.rs `PAGE`).
const PAGE = 10;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
try {
  // A phone: touch, no mouse pointer resting over the page (a pointer over the bottom bar makes Chromium hit-test
  // hover again after every layout, about 24 ms at CPU ×4, which a finger does not cost).
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, locale: "zh-CN", hasTouch: true, isMobile: true,
  });
  const page = await context.newPage();
  await logIn(page, server.url, "13800000004");
  await page.evaluate(() => navigator.serviceWorker.ready);

  // Copies the synced households up to HOUSEHOLDS, each with a fresh id and 户编号, over ten 组.
  // The households are sealed with the first secretary's data key, as the app keeps them (tests/e2e/vault.js).
  const stored = await withVault(page, async (vault, target) => {
    const originals = (await vault.entries("households")).map(([, text]) => text);
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(["meta", "households"], "readwrite");
    tx.objectStore("meta").delete("village_digest");
    tx.objectStore("households").clear();
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
    const groups = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组", "九组", "十组"];
    for (let i = 0; i < target; i++) {
      const assigned = JSON.parse(originals[i % originals.length]);
      const id = crypto.randomUUID();
      assigned.household.id = id;
      assigned.household.household_code = `B${String(i).padStart(4, "0")}`;
      assigned.household.address.group = groups[i % groups.length];
      await vault.put("households", id, JSON.stringify(assigned));
    }
    return { target, bytes: originals.reduce((sum, json) => sum + json.length, 0) / originals.length };
  }, HOUSEHOLDS).then(({ target, bytes }) => {
    console.log(`one household as stored: ${(bytes / 1024).toFixed(1)} K characters of JSON on average`);
    return target;
  });

  await server.stop();
  await context.setOffline(true);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });

  // Tap 全村 from 我的 and wait, inside the page, until the summary of every household and then the list's first
  // page are on screen (after the frame that paints them).
  const tapToVillage = () =>
    page.evaluate(async ({ total, firstPage }) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const rows = () => document.querySelectorAll('[data-testid="village-households"] [data-testid="village-row"]').length;
      const start = performance.now();
      let summaryAt = null;
      const done = new Promise((resolve, reject) => {
        // A page that never shows what is awaited (another page size, say) fails the run instead of hanging it.
        setTimeout(() => reject(new Error(`after 30 s: ${rows()} rows, summary ${summaryAt === null ? "not " : ""}shown (awaited ${firstPage} rows of ${total} households)`)), 30_000);
        const check = () => {
          if (summaryAt === null && document.querySelector(`[data-testid="village-summary"][data-total="${total}"]`)) summaryAt = performance.now();
          if (summaryAt !== null && rows() === firstPage) {
            observer.disconnect();
            // Element Timing reports when the frame holding these texts was presented (set before that paint).
            const names = document.querySelectorAll('[data-testid="village-households"] [data-testid="village-row"] .household-name');
            names[names.length - 1].setAttribute("elementtiming", "last-row");
            document.querySelector('[data-testid="village-summary"] .village-count-label').setAttribute("elementtiming", "summary");
            resolve(performance.now());
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
      });
      performance.clearMarks();
      const presented = {};
      const elements = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) presented[entry.identifier] = entry.renderTime;
      });
      elements.observe({ type: "element" });
      document.querySelector('nav a[href="/village"]').click();
      const listed = await done;
      await frame();
      // The frame just painted must be the village's: a page that swaps its content out again right after drawing
      // it (for a splash, say) would otherwise be timed by the paint of whatever replaced it.
      if (!document.querySelector(`[data-testid="village-summary"][data-total="${total}"]`) || rows() !== firstPage) {
        throw new Error("the village left the screen again before the frame that was timed");
      }
      const paintedAt = performance.now();
      // The presentation time of the frame is reported a little after it. A summary already painted before its
      // attribute was set (on the cold open it can come a frame before the rows) reports nothing.
      for (let wait = 0; wait < 40 && !presented["last-row"]; wait++) await frame();
      elements.disconnect();
      if (!presented["last-row"]) throw new Error("no Element Timing entry for the village's last row");
      const marks = {};
      for (const mark of performance.getEntriesByType("mark")) {
        let name = mark.name;
        for (let n = 2; name in marks; n++) name = `${mark.name} #${n}`;
        marks[name] = mark.startTime - start;
      }
      return {
        summary: summaryAt - start,
        list: listed - start,
        painted: paintedAt - start,
        presented: Math.max(presented["last-row"], presented.summary || 0) - start,
        marks,
      };
    }, { total: stored, firstPage: Math.min(PAGE, stored) });

  const filterRed = () =>
    page.evaluate(async (pageSize) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const button = document.querySelector('[data-testid="village-count"][data-colour="Red"]');
      const expected = Math.min(pageSize, Number(button.querySelector(".village-count-number").textContent));
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
    }, PAGE);

  const showMore = () =>
    page.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const rows = () => document.querySelectorAll('[data-testid="village-households"] [data-testid="village-row"]').length;
      const before = rows();
      const start = performance.now();
      document.querySelector('[data-testid="village-more"]').click();
      await new Promise((resolve) => {
        const check = () => { if (rows() > before) { observer.disconnect(); resolve(); } };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true });
        check();
      });
      await frame();
      return { took: performance.now() - start, rows: rows() };
    });

  const summary = [];
  const list = [];
  const painted = [];
  const presentedAt = [];
  const filter = [];
  const more = [];
  let moreRows = 0;
  const cold = {};
  const phases = {};
  let red = 0;
  const PROFILE = process.env.PROFILE === "1";
  const TRACE = process.env.TRACE === "1";
  const traced = new Map();
  const selfTime = new Map();
  let profiled = 0;
  if (PROFILE) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  }
  for (let run = 0; run <= RUNS; run++) {
    await page.getByRole("navigation").locator('a[href="/me"]').tap();
    await page.getByRole("button", { name: "English" }).waitFor();
    if (PROFILE && run > 0) await cdp.send("Profiler.start");
    if (TRACE && run > 0) await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
    const result = await tapToVillage();
    if (TRACE && run > 0) {
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
      // The renderer's main thread: the thread of the page's own timer and animation-frame callbacks.
      const main = traceEvents.find((event) => event.name === "FunctionCall" || event.name === "FireAnimationFrame");
      for (const event of traceEvents) {
        if (event.ph !== "X" || !main || event.pid !== main.pid || event.tid !== main.tid) continue;
        traced.set(event.name, (traced.get(event.name) || 0) + (event.dur || 0) / 1000);
      }
    }
    if (PROFILE && run > 0) {
      const { profile } = await cdp.send("Profiler.stop");
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      for (let i = 0; i < profile.samples.length; i++) {
        const { functionName, url } = byId.get(profile.samples[i]).callFrame;
        const name = `${functionName || "(anonymous)"} ${url.split("/").pop()}`;
        selfTime.set(name, (selfTime.get(name) || 0) + (profile.timeDeltas[i] || 0) / 1000);
      }
      profiled += 1;
    }
    if (run === 0) {
      // The first tap builds the digests from every household: reported apart, left out of the medians.
      Object.assign(cold, result);
      await page.waitForTimeout(500);
      continue;
    }
    summary.push(result.summary);
    list.push(result.list);
    painted.push(result.painted);
    presentedAt.push(result.presented);
    for (const [name, at] of Object.entries(result.marks)) (phases[name] ||= []).push(at);
    const filtered = await filterRed();
    filter.push(filtered.took);
    red = filtered.expected;
    const shown = await showMore();
    more.push(shown.took);
    moreRows = shown.rows;
  }
  console.log(`village view, ${stored} households, CPU ×${CPU_SLOWDOWN}, ${RUNS} runs (median / worst)`);
  console.log(`  tap 全村 → colour summary on screen    ${ms(median(summary))} / ${ms(Math.max(...summary))}`);
  console.log(`  tap 全村 → first ${Math.min(PAGE, stored)} rows in the DOM     ${ms(median(list))} / ${ms(Math.max(...list))}`);
  console.log(`  tap 全村 → next frame painted          ${ms(median(painted))} / ${ms(Math.max(...painted))}   (goal ≤ 100 ms)`);
  console.log(`  tap 全村 → that frame presented        ${ms(median(presentedAt))} / ${ms(Math.max(...presentedAt))}   (Element Timing renderTime of the summary and the last row)`);
  console.log(`  tap 红 → first ${red} red households     ${ms(median(filter))} / ${ms(Math.max(...filter))}`);
  console.log(`  显示更多 → ${moreRows} rows painted          ${ms(median(more))} / ${ms(Math.max(...more))}`);
  console.log(`  cold open (no digests yet: built from every household, once): summary ${ms(cold.summary)}, painted ${ms(cold.painted)}`);
  const marked = Object.entries(phases).sort((a, b) => median(a[1]) - median(b[1]));
  if (marked.length > 0) {
    console.log("  where the time goes (performance marks the page leaves, ms after the tap, median):");
    for (const [name, at] of marked) console.log(`    ${name.padEnd(34)} ${ms(median(at))}`);
  }
  if (TRACE) {
    console.log(`  main thread by trace event (mean of ${RUNS} taps; nested events overlap, so they do not add up):`);
    for (const [name, time] of [...traced].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      console.log(`    ${ms(time / RUNS).padStart(9)}  ${name}`);
    }
  }
  if (PROFILE) {
    const total = [...selfTime.values()].reduce((a, b) => a + b, 0) / profiled;
    console.log(`  CPU samples during a tap (mean of ${profiled} taps, ${ms(total)} sampled), most self time first:`);
    for (const [name, time] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
      console.log(`    ${ms(time / profiled).padStart(9)}  ${name.slice(0, 150)}`);
    }
  }
  // The landing after a reload and the PIN: nothing kept in memory, so the page reads and derives before drawing.
  await context.addInitScript(({ total, firstPage }) => {
    const rows = () => document.querySelectorAll('[data-testid="village-households"] [data-testid="village-row"]').length;
    const observer = new MutationObserver(() => {
      if (!document.querySelector(`[data-testid="village-summary"][data-total="${total}"]`) || rows() !== firstPage) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => {
        const start = performance.getEntriesByName("village:read-start")[0];
        window.__landing = start ? performance.now() - start.startTime : null;
      }, 0));
    });
    document.addEventListener("DOMContentLoaded", () => observer.observe(document.body, { childList: true, subtree: true }));
  }, { total: stored, firstPage: Math.min(PAGE, stored) });
  const landing = [];
  for (let run = 0; run < Math.min(RUNS, 5); run++) {
    await reloadAndUnlock(page);
    await page.waitForFunction(() => window.__landing !== undefined, null, { timeout: 60_000 });
    const took = await page.evaluate(() => window.__landing);
    if (took === null) throw new Error("the village page left no village:read-start mark");
    landing.push(took);
  }
  console.log(`  first draw of a session (landing after the PIN; page starts reading → painted), ${landing.length} runs: ${ms(median(landing))} / ${ms(Math.max(...landing))}`);

  const digestChars = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = db.transaction("meta").objectStore("meta").get("village_digest");
    const value = await new Promise((resolve) => { read.onsuccess = () => resolve(read.result); });
    db.close();
    return typeof value === "string" ? value.length : JSON.stringify(value ?? null).length;
  });
  console.log(`  the village digests as kept: ${(digestChars / 1024).toFixed(1)} K characters`);
  await context.close();
} finally {
  await browser.close();
  await server.cleanup();
}
