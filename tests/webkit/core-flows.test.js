// The core flows in Safari's engine (WebKitGTK's MiniBrowser through WebKitWebDriver): the release build
// served by the real server, one fresh server, database and browser session per test (see lane.js). Every test
// also fails on any Content-Security-Policy violation WebKit reports (see csp-watch.js).
//
// MiniBrowser's automation sessions keep website data in memory only (like Safari's private mode), so
// "survives a reload" here means within one browser session; persistent.test.js closes and reopens a browser.
import assert from "node:assert/strict";
import { By } from "selenium-webdriver";
import { serverHousehold } from "../e2e/phone.js";
import { PROBE_PATH } from "./csp-watch.js";
import { screenshot, webkitTest } from "./lane.js";
import {
  addPhoto,
  byButton,
  byField,
  byLink,
  openReview,
  openSection,
  byTestId,
  choose,
  click,
  logIn,
  reloadAndUnlock,
  openHousehold,
  textContains,
  texts,
  thumbnailWidth,
  type,
  visible,
  waitUntil,
} from "./phone.js";

webkitTest("a CSP violation in WebKit reaches the watch, so the other tests can fail on one", async ({ t, driver, url, watch }) => {
  t.diagnostic(`policy in force: ${watch.policy}`);
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
  // The demo seeds no income sheets: a household with no red or yellow risk is 未核算, never 绿.
  assert.deepEqual(new Set(colours), new Set(["红", "黄", "未核算"]));
  await textContains(driver, byTestId("households-sync"), "户信息更新于");
  await screenshot(driver, "households");
});

webkitTest("typing is autosaved to IndexedDB and is still there after a reload", async ({ driver, url }) => {
  await logIn(driver, url);
  await openHousehold(driver, "郑光辉");
  await openSection(driver, "走访记录");
  await type(driver, byField("visit.notes"), "户主在家，了解今年种植情况。");
  await textContains(driver, byTestId("save-state"), "已保存");

  await reloadAndUnlock(driver);
  await openSection(driver, "走访记录");
  const notes = await visible(driver, byField("visit.notes"));
  assert.equal(await notes.getAttribute("value"), "户主在家，了解今年种植情况。");
  await click(driver, By.xpath("//nav//a[normalize-space()='我的户']"));
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
  await openSection(driver, "走访记录");
  await type(driver, byField("visit.notes"), "院子里没有信号。");
  await textContains(driver, byTestId("save-state"), "已保存");
  await click(driver, By.xpath("//nav//a[normalize-space()='我的户']"));
  await visible(driver, byTestId("household-row"));

  await server.stop();
  await reloadAndUnlock(driver);
  await waitUntil(driver, "four household rows", async () => (await texts(driver, byTestId("household-row"))).length === 4, 20_000);
  await textContains(driver, byTestId("households-sync"), "未能更新户信息");
  await openHousehold(driver, "郑光辉");
  await openSection(driver, "走访记录");
  const notes = await visible(driver, byField("visit.notes"));
  assert.equal(await notes.getAttribute("value"), "院子里没有信号。");
});

// This session's storage is ephemeral, like Safari's private browsing: its IndexedDB refuses Blob values
// ("UnknownError: Error preparing Blob/File data to be stored in object store"). The app stores photos as bytes.
webkitTest("a photo is shrunk, stored and shown, and is still there after a reload", async ({ driver, url }) => {
  await logIn(driver, url);
  await openHousehold(driver, "王德福");
  await openSection(driver, "走访记录");
  await addPhoto(driver);
  await textContains(driver, byTestId("photo-meta"), "1600×1200");
  assert.equal(await waitUntil(driver, "the thumbnail to load", () => thumbnailWidth(driver)), 160);
  // The draft now lists the photo; it is written ≤ 250 ms later. (A reload inside that pause loses the link in
  // WebKit, whose pagehide flush does not finish: the photo stays stored but this fresh draft is gone.)
  await waitUntil(driver, "the draft with the photo to be saved", async () =>
    /^已保存 \d/.test(await driver.findElement(byTestId("save-state")).getText()),
  );

  await reloadAndUnlock(driver);
  await openSection(driver, "走访记录");
  await textContains(driver, byTestId("photo-meta"), "1600×1200");
  assert.equal(await waitUntil(driver, "the thumbnail to load after the reload", () => thumbnailWidth(driver)), 160);
});

webkitTest("a filled visit is submitted, sent, and the server holds it once", async ({ driver, url, server }) => {
  await logIn(driver, url);
  const before = await serverHousehold(server.url, "郑光辉");
  await openHousehold(driver, "郑光辉");
  await openSection(driver, "收入核算");
  await choose(driver, byField("income.add_kind"), "务工收入");
  await click(driver, byButton("＋ 添加项目"));
  await type(driver, byField("income.lines[0].amount"), "36000");
  await openSection(driver, "一户一策");
  await click(driver, byButton("＋ 添加措施"));
  await type(driver, byField("plan.measures[0].content"), "发展槟榔种植 3 亩");
  await type(driver, byField("plan.measures[0].responsible_unit"), "三门坡镇农业服务中心");
  await driver.executeScript(
    // A date input takes keys in the browser's own order and format; set it as the date picker does.
    `const input = arguments[0]; input.value = "2026-12-31"; input.dispatchEvent(new Event("input", { bubbles: true }));`,
    await visible(driver, byField("plan.measures[0].deadline")),
  );
  await openSection(driver, "走访记录");
  await click(driver, byButton("收入核算"));
  await type(driver, byField("visit.notes"), "核算 2025 年收入，户主确认。");
  await openReview(driver);
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
