// Autosave benchmark: a 20-member household with a 50-measure plan, in headless Chromium against the
// real server. Prints
//   - the time to open that household's page after a reload (PIN unlock → form ready), median of 5;
//   - per keystroke: the app's save (serialise + IndexedDB put + commit) and keystroke → commit
//     (which includes the deliberate autosave pause), median and p95;
//   - steady typing (a key every 50–100 ms, no pause): keystroke → commit of the first save that holds the key,
//     p50 and p95 (goal ≤ 300 ms p95), and the longest time between two saves;
//   - the same write done by a minimal raw IndexedDB put from JavaScript, and the ratio.
//
//   cargo run -q -p zoufang-domain --example large_household > target/large-household.json
//   node tools/bench-autosave.mjs target/large-household.json      (scripts/bench-autosave does both)

import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/server.js";
import { chromiumArgs } from "../tests/playwright.config.js";
import { DEMO_PIN, setPin } from "../tests/e2e/phone.js";
import { withVault } from "../tests/e2e/vault.js";

const fixture = JSON.parse(readFileSync(process.argv[2] || "target/large-household.json", "utf8"));
const KEYSTROKES = Number(process.env.KEYSTROKES || 40);
const STEADY_KEYS = Number(process.env.STEADY_KEYS || 120);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value) => `${value.toFixed(2)} ms`;

const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel("手机号").fill("13800000001");
  await page.getByLabel("密码").fill("zoufang2026");
  await page.getByRole("button", { name: "登录" }).click();
  await setPin(page);
  await page.getByTestId("household-row").first().waitFor();

  // Put the large household and its draft on the phone, as a sync and earlier typing would have (sealed with the
  // user's data key, as the app keeps every value: see tests/e2e/vault.js).
  await withVault(
    page,
    async (vault, { id, assigned, storedDraft }) => {
      await vault.put("households", id, JSON.stringify(assigned));
      await vault.put("drafts", id, JSON.stringify(storedDraft));
    },
    { id: fixture.household_id, assigned: fixture.assigned, storedDraft: fixture.stored_draft },
  );

  // Opening: where the time goes, from the marks the app leaves (navigation start = 0).
  const openTimes = [];
  const openParts = [];
  for (let run = 0; run < 5; run++) {
    // A reload asks for the PIN: the time counts from the unlock to the form.
    await page.goto(`${server.url}/households/${fixture.household_id}`);
    await page.getByTestId("enter-pin").waitFor();
    await page.getByLabel(/^PIN/).fill(DEMO_PIN);
    const unlockAt = await page.evaluate(() => performance.now());
    await page.getByRole("button", { name: "解锁" }).click();
    await page.getByTestId("save-state").waitFor();
    const ready = await page.evaluate(() => performance.now());
    openTimes.push(ready - unlockAt);
    openParts.push(
      await page.evaluate(({ ready, unlockAt }) => {
        const at = (name) => performance.getEntriesByName(name, "mark")[0]?.startTime ?? NaN;
        const start = at("zoufang:household-load-start");
        const read = at("zoufang:household-read");
        return { boot: start - unlockAt, read: read - start, render: ready - read };
      }, { ready, unlockAt }),
    );
  }

  // The visit section alone (the overview has no form fields).
  await page.goto(`${server.url}/households/${fixture.household_id}/edit/visit`);
  const notes = page.locator('[id="visit.notes"]');
  await notes.click();
  await page.evaluate(() => {
    window.__lastInput = 0;
    document.addEventListener("input", () => { window.__lastInput = performance.now(); }, true);
  });
  const saveTimes = [];
  const encodeTimes = [];
  const keystrokeToCommit = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    await page.evaluate(() => performance.clearMeasures("zoufang:draft-save"));
    await page.keyboard.type("字");
    const result = await page.waitForFunction(() => {
      const measure = performance.getEntriesByName("zoufang:draft-save", "measure")[0];
      const committed = performance.getEntriesByName("zoufang:draft-committed", "mark").at(-1);
      const started = performance.getEntriesByName("zoufang:draft-save-start", "mark").at(-1);
      const encoded = performance.getEntriesByName("zoufang:draft-encoded", "mark").at(-1);
      return measure && committed
        ? {
            save: measure.duration,
            encode: encoded && started ? encoded.startTime - started.startTime : NaN,
            total: committed.startTime - window.__lastInput,
          }
        : null;
    });
    const { save, encode, total } = await result.jsonValue();
    saveTimes.push(save);
    encodeTimes.push(encode);
    keystrokeToCommit.push(total);
  }

  // Steady typing: the app marks the start of each save (when it takes its snapshot of the draft) and its commit;
  // a key is held by the first save that starts after its input event.
  await page.evaluate(() => {
    performance.clearMarks();
    performance.clearMeasures();
    window.__inputs = [];
    document.addEventListener("input", () => window.__inputs.push(performance.now()), true);
  });
  for (let i = 0; i < STEADY_KEYS; i++) {
    await page.keyboard.type("字");
    await sleep(50 + ((i * 37) % 51));
  }
  await page.waitForTimeout(800);
  const steady = await page.evaluate(() => {
    const starts = performance.getEntriesByName("zoufang:draft-save-start", "mark").map((m) => m.startTime);
    const commits = performance.getEntriesByName("zoufang:draft-committed", "mark").map((m) => m.startTime);
    const latencies = window.__inputs
      .map((at) => {
        const save = starts.findIndex((start) => start >= at);
        return save >= 0 && save < commits.length ? commits[save] - at : null;
      })
      .filter((latency) => latency !== null);
    const gaps = starts.slice(1).map((start, i) => start - starts[i]);
    const span = window.__inputs.at(-1) - window.__inputs[0];
    return { latencies, keys: window.__inputs.length, saves: starts.length, maxGap: Math.max(...gaps), span };
  });

  const draftBytes = JSON.stringify(fixture.stored_draft).length;
  const rawTimes = await page.evaluate(async ({ count, draft }) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const text = JSON.stringify(draft);
    const times = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await new Promise((resolve, reject) => {
        const tx = db.transaction("drafts", "readwrite");
        tx.objectStore("drafts").put(text + " ".repeat(i % 2), "raw-put-baseline");
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      times.push(performance.now() - started);
    }
    db.close();
    return times;
  }, { count: KEYSTROKES, draft: fixture.stored_draft });

  const saveMedian = quantile(saveTimes, 0.5);
  const rawMedian = quantile(rawTimes, 0.5);
  console.log(`household: 20 members, 50 measures; stored draft ${(draftBytes / 1024).toFixed(1)} KB of JSON`);
  console.log(`open the household page (unlock → form ready), median of 5: ${ms(quantile(openTimes, 0.5))}`);
  const part = (name) => ms(quantile(openParts.map((p) => p[name]), 0.5));
  console.log(`  of which: unlock → household load starts ${part("boot")}, reads ${part("read")}, first render ${part("render")} (medians)`);
  console.log(`app save per keystroke (serialise + put + commit), n=${saveTimes.length}: median ${ms(saveMedian)}, p95 ${ms(quantile(saveTimes, 0.95))}`);
  console.log(`  of which encoding the draft: median ${ms(quantile(encodeTimes, 0.5))}, p95 ${ms(quantile(encodeTimes, 0.95))}`);
  console.log(`keystroke → commit after a single key (includes the 200 ms autosave pause): median ${ms(quantile(keystrokeToCommit, 0.5))}, p95 ${ms(quantile(keystrokeToCommit, 0.95))}`);
  console.log(
    `steady typing, ${steady.keys} keys every 50–100 ms over ${(steady.span / 1000).toFixed(1)} s: ${steady.saves} saves, ` +
      `keystroke → commit p50 ${ms(quantile(steady.latencies, 0.5))}, p95 ${ms(quantile(steady.latencies, 0.95))}, ` +
      `max ${ms(Math.max(...steady.latencies))} (n=${steady.latencies.length}); longest time between saves ${ms(steady.maxGap)}`,
  );
  console.log(`raw IndexedDB put of the same JSON from JavaScript: median ${ms(rawMedian)}, p95 ${ms(quantile(rawTimes, 0.95))}`);
  console.log(`ratio app save / raw put (median): ${(saveMedian / rawMedian).toFixed(2)}`);
} finally {
  await browser.close();
  await server.cleanup();
}
