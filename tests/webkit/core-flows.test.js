// The core flows in Safari's engine (WebKitGTK's MiniBrowser through WebKitWebDriver): the release build
// served by the real server, one fresh server, database and browser session per test. Every test also fails on
// any Content-Security-Policy violation WebKit reports (see csp-watch.js).
//
// WebKitGTK's automation sessions keep website data in memory only (like Safari's private mode), so "survives
// a reload" here means within one browser session; a browser restart is not covered in this lane.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { By } from "selenium-webdriver";
import { after, before, test } from "node:test";
import { startServer } from "../e2e/server.js";
import { serverHousehold } from "../e2e/phone.js";
import { PROBE_PATH, startCspWatch } from "./csp-watch.js";
import { startWebKit } from "./webkit.js";
import {
  byButton,
  byField,
  byLink,
  byTab,
  byTestId,
  choose,
  click,
  logIn,
  openHousehold,
  textContains,
  texts,
  type,
  visible,
  waitUntil,
} from "./phone.js";

const SCREENSHOTS = resolve(import.meta.dirname, "..", "test-results", "webkit");
/** Violation reports are posted after the fact: give the last ones time to arrive before judging. */
const REPORT_SETTLE_MS = 500;

let webkit;
before(async () => {
  webkit = await startWebKit();
});
after(async () => {
  await webkit?.stop();
});

async function screenshot(driver, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  writeFileSync(path, await driver.takeScreenshot(), "base64");
  return path;
}

/** Adds what explains a failure: the CSP violations seen, whether the wasm app started, a screenshot. */
async function explainFailure(error, name, driver, watch) {
  const blocked = watch.violations();
  if (blocked.length) error.message += `\nCSP violations (${watch.policySource} policy):\n  ${blocked.join("\n  ")}`;
  // Trunk's loader sets wasmBindings once the wasm runs. WebKit refuses a WebAssembly compile that the policy
  // forbids (no 'wasm-unsafe-eval') without any violation report, so a page that never starts is named here.
  const started = await driver.executeScript("return typeof window.wasmBindings === 'object'").catch(() => null);
  if (started === false) error.message += `\nthe wasm app never started on this page (policy: ${watch.policy})`;
  const shot = await screenshot(driver, name.replace(/[^\p{L}\p{N}]+/gu, "-")).catch(() => "none");
  error.message += `\n(screenshot: ${shot})`;
}

/**
 * A test with its own server, CSP watch and WebKit session (a fresh MiniBrowser with empty storage). It fails
 * if WebKit reported any CSP violation.
 */
function webkitTest(name, body, { timeout = 60_000, todo } = {}) {
  test(name, { timeout, todo }, async (t) => {
    const server = await startServer();
    let watch;
    let driver;
    try {
      watch = await startCspWatch(server.url);
      driver = await webkit.newSession();
      try {
        await body({ t, driver, server, watch, url: watch.url });
        await driver.sleep(REPORT_SETTLE_MS);
        assert.deepEqual(watch.violations(), [], `CSP violations under the ${watch.policySource} policy: ${watch.policy}`);
      } catch (error) {
        await explainFailure(error, name, driver, watch);
        throw error;
      }
    } finally {
      await driver?.quit().catch(() => {});
      await watch?.stop();
      await server.cleanup();
    }
  });
}

webkitTest("a CSP violation in WebKit reaches the watch, so the other tests can fail on one", async ({ t, driver, url, watch }) => {
  t.diagnostic(`policy in force (${watch.policySource}): ${watch.policy}`);
  await driver.get(`${url}${PROBE_PATH}`);
  await waitUntil(driver, "the probe's violation report", () => watch.violations().length > 0);
  assert.equal(await driver.getTitle(), "probe", "the probe's inline script ran: the policy was not enforced");
  assert.match(watch.violations()[0], /^script-src(-elem)? blocked inline/);
  watch.clear();
});

webkitTest("the login page and a helper's household list render, in Chinese", async ({ driver, url }) => {
  await driver.get(url);
  await visible(driver, By.css('input[name="phone"]'), 20_000);
  assert.equal(await driver.executeScript("return document.documentElement.lang"), "zh-CN");
  assert.equal(await driver.getTitle(), "走访");
  assert.deepEqual(await texts(driver, By.css(".field-label")), ["手机号", "密码"]);
  await screenshot(driver, "login");

  await logIn(driver, url);
  await waitUntil(driver, "four household rows", async () => (await texts(driver, byTestId("household-row"))).length === 4);
  const colours = await texts(driver, byTestId("risk"));
  assert.deepEqual(new Set(colours), new Set(["红", "黄", "绿"]));
  await textContains(driver, byTestId("households-sync"), "户信息更新于");
  await screenshot(driver, "households");
});

webkitTest("typing is autosaved to IndexedDB and is still there after a reload", async ({ driver, url }) => {
  await logIn(driver, url);
  await openHousehold(driver, "郑光辉");
  await click(driver, byTab("走访记录"));
  await type(driver, byField("visit.notes"), "户主在家，了解今年种植情况。");
  await textContains(driver, byTestId("save-state"), "已保存");

  await driver.navigate().refresh();
  await click(driver, byTab("走访记录"));
  const notes = await visible(driver, byField("visit.notes"));
  assert.equal(await notes.getAttribute("value"), "户主在家，了解今年种植情况。");
  await click(driver, byLink("返回"));
  const row = By.xpath("//*[@data-testid='household-row'][contains(., '郑光辉')]//*[contains(@class, 'mark-draft')]");
  await textContains(driver, row, "草稿");
});

webkitTest("with the server gone, a reload still opens the households and the draft", async ({ driver, url, server }) => {
  await logIn(driver, url);
  const controlled = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    navigator.serviceWorker.ready.then(() => done(true), (error) => done(String(error)));
  `);
  assert.equal(controlled, true, "the service worker did not become ready");
  await openHousehold(driver, "郑光辉");
  await click(driver, byTab("走访记录"));
  await type(driver, byField("visit.notes"), "院子里没有信号。");
  await textContains(driver, byTestId("save-state"), "已保存");
  await click(driver, byLink("返回"));
  await visible(driver, byTestId("household-row"));

  await server.stop();
  await driver.navigate().refresh();
  await waitUntil(driver, "four household rows", async () => (await texts(driver, byTestId("household-row"))).length === 4, 20_000);
  await textContains(driver, byTestId("households-sync"), "未能更新户信息");
  await openHousehold(driver, "郑光辉");
  await click(driver, byTab("走访记录"));
  const notes = await visible(driver, byField("visit.notes"));
  assert.equal(await notes.getAttribute("value"), "院子里没有信号。");
});

/** Whether the first photo's thumbnail has loaded, and its width in pixels. */
function thumbnailWidth(driver) {
  return driver.executeScript(`
    const img = document.querySelector(".photo-thumb");
    return img && img.complete ? img.naturalWidth : 0;
  `);
}

// Known to fail: WebKit refuses Blobs in the IndexedDB of an ephemeral session ("UnknownError: Error
// preparing Blob/File data to be stored in object store"), and a photo is stored as a Blob. Reported, not
// counted, until the app stores photos another way or the lane gets a persistent WebKit session.
const PHOTO_TODO = "WebKit's ephemeral session refuses Blobs in IndexedDB";

webkitTest("a photo is shrunk, stored and shown, and is still there after a reload", async ({ driver, url }) => {
  await logIn(driver, url);
  await openHousehold(driver, "王德福");
  await click(driver, byTab("走访记录"));
  // A 2400×1800 JPEG made by WebKit's own encoder, picked from the "gallery" as a file.
  const base64 = await driver.executeScript(`
    const canvas = document.createElement("canvas");
    canvas.width = 2400;
    canvas.height = 1800;
    const context = canvas.getContext("2d");
    context.fillStyle = "rgb(90, 140, 200)";
    context.fillRect(0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/jpeg", 0.9).split(",")[1];
  `);
  const dir = mkdtempSync(join(tmpdir(), "zoufang-webkit-"));
  try {
    const file = join(dir, "yard.jpg");
    writeFileSync(file, Buffer.from(base64, "base64"));
    // The input sits inside its styled label, visually hidden: WebDriver may still send a file to it.
    await driver.findElement(byTestId("photo-gallery")).sendKeys(file);
    // The app first waits up to 6 s for a location fix, which WebKit's automation never answers.
    const outcome = await waitUntil(
      driver,
      "the photo to be stored or refused",
      async () =>
        (await driver.findElements(byTestId("photo"))).length === 1 ? "stored" : (await texts(driver, byTestId("photo-problem")))[0],
      30_000,
    );
    assert.equal(outcome, "stored");
    await textContains(driver, byTestId("photo-meta"), "1600×1200");
    assert.equal(await waitUntil(driver, "the thumbnail to load", () => thumbnailWidth(driver)), 160);

    await driver.navigate().refresh();
    await click(driver, byTab("走访记录"));
    await textContains(driver, byTestId("photo-meta"), "1600×1200");
    assert.equal(await waitUntil(driver, "the thumbnail to load after the reload", () => thumbnailWidth(driver)), 160);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { todo: PHOTO_TODO });

webkitTest("a filled visit is submitted, sent, and the server holds it once", async ({ driver, url, server }) => {
  await logIn(driver, url);
  const before = await serverHousehold(server.url, "郑光辉");
  await openHousehold(driver, "郑光辉");
  await click(driver, byTab("收入核算"));
  await choose(driver, byField("income.add_kind"), "务工收入");
  await click(driver, byButton("＋ 添加项目"));
  await type(driver, byField("income.lines[0].amount"), "36000");
  await click(driver, byTab("一户一策"));
  await click(driver, byButton("＋ 添加措施"));
  await type(driver, byField("plan.measures[0].content"), "发展槟榔种植 3 亩");
  await type(driver, byField("plan.measures[0].responsible_unit"), "三门坡镇农业服务中心");
  await driver.executeScript(
    // A date input takes keys in the browser's own order and format; set it as the date picker does.
    `const input = arguments[0]; input.value = "2026-12-31"; input.dispatchEvent(new Event("input", { bubbles: true }));`,
    await visible(driver, byField("plan.measures[0].deadline")),
  );
  await click(driver, byTab("走访记录"));
  await click(driver, byButton("收入核算"));
  await type(driver, byField("visit.notes"), "核算 2025 年收入，户主确认。");
  const errors = await driver.findElements(By.css("#summary .finding-error"));
  assert.equal(errors.length, 0, `errors left in the form: ${await texts(driver, By.css("#summary .finding-error"))}`);
  for (const reason of await driver.findElements(By.css('#summary [id^="reason-"]'))) {
    await reason.sendKeys("已入户核实");
  }
  await click(driver, byTestId("submit"));
  await visible(driver, byTestId("queued"));

  await click(driver, By.xpath("//nav//a[normalize-space()='同步']"));
  await textContains(driver, byTestId("outbox-status"), "已发送", 20_000);
  const after = await serverHousehold(server.url, "郑光辉");
  assert.equal(after.version, before.version + 1);
  assert.deepEqual(
    after.plan.measures.map((measure) => measure.content),
    ["发展槟榔种植 3 亩"],
  );
  assert.equal(after.review.status, "pending");
});
