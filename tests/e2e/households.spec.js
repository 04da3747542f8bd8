// Assigned households on the phone, drafts that survive reloads, killed browsers and full storage.
import { test, expect } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, DEMO_HELPER, DEMO_PASSWORD } from "./server.js";
import { launchOwnChromium } from "./browser.js";
import { openSection, reloadAndUnlock, setPin, unlock } from "./phone.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

async function logIn(page, phone = DEMO_HELPER.phone) {
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await setPin(page);
  // A helper lands on their households, a first secretary on the village view.
  await expect(page.locator('[data-testid="household-row"], [data-testid="village-row"]').first()).toBeVisible();
}

async function openFirstHousehold(page) {
  await page.getByTestId("household-row").first().click();
  await expect(page.getByTestId("save-state")).toBeVisible();
  await openSection(page, "走访记录");
}

test("a helper sees their four households with 红黄绿 and can search them", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page);
  const rows = page.getByTestId("household-row");
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId("households-sync")).toContainText("户信息更新于");
  const colours = await page.getByTestId("risk").allTextContents();
  // The demo seeds no income sheets: a household with no red or yellow risk is 未核算, never 绿.
  expect(new Set(colours)).toEqual(new Set(["红", "黄", "未核算"]));

  const firstName = (await rows.first().locator(".household-name").textContent()).trim();
  await page.getByTestId("household-search").fill(firstName);
  await expect(rows).toHaveCount(1);
  await page.getByTestId("household-search").fill("一组");
  const inGroupOne = await rows.count();
  expect(inGroupOne).toBeGreaterThan(0);
  expect(inGroupOne).toBeLessThan(4);
  await page.getByTestId("household-search").fill("没有这个人");
  await expect(rows).toHaveCount(0);
  await expect(page.getByText("没有符合的户")).toBeVisible();
});

test("a first secretary sees the whole village", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page, "13800000004");
  await page.getByRole("link", { name: "按姓名搜索农户" }).click();
  await expect(page.getByTestId("household-row")).toHaveCount(12);
});

test("with no network the households and their drafts are all there", async ({ page, context }) => {
  await page.goto(server.url);
  await logIn(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await server.stop();
  await context.setOffline(true);
  await reloadAndUnlock(page);
  await expect(page.getByTestId("household-row")).toHaveCount(4);
  await expect(page.getByTestId("households-sync")).toContainText("未能更新户信息");
  await openFirstHousehold(page);
  await page.locator('[id="visit.notes"]').fill("离线填写：院子里没有信号。");
  await expect(page.getByTestId("save-state")).toContainText("已保存");
  await reloadAndUnlock(page);
  await expect(page.getByTestId("save-state")).toBeVisible();
  await openSection(page, "走访记录");
  await expect(page.locator('[id="visit.notes"]')).toHaveValue("离线填写：院子里没有信号。");
});

test("typing is autosaved and survives a reload; the list marks the draft", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page);
  await openFirstHousehold(page);
  await page.locator('[id="visit.notes"]').pressSequentially("户主在家，了解今年种植情况。", { delay: 20 });
  await expect(page.getByTestId("save-state")).toContainText("已保存");
  await reloadAndUnlock(page);
  await openSection(page, "走访记录");
  await expect(page.locator('[id="visit.notes"]')).toHaveValue("户主在家，了解今年种植情况。");
  await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
  await expect(page.getByTestId("household-row").first().locator(".mark-draft")).toContainText("草稿");
});

test("leaving the page right after typing still saves what was typed", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page);
  await openFirstHousehold(page);
  await page.locator('[id="visit.notes"]').fill("刚写完就返回");
  // Within the autosave pause: leaving the page must flush the change, not drop it.
  await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
  await expect(page.getByTestId("household-row").first()).toBeVisible();
  await openFirstHousehold(page);
  await expect(page.locator('[id="visit.notes"]')).toHaveValue("刚写完就返回");
});

test("a browser killed while keys are still being typed keeps everything typed up to half a second before", async () => {
  const profile = mkdtempSync(join(tmpdir(), "zoufang-profile-"));
  try {
    let chromium = await launchOwnChromium(profile);
    let page = await chromium.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(server.url);
    await logIn(page);
    await openFirstHousehold(page);
    await page.locator('[id="visit.notes"]').click();

    // Steady typing: a key every 50–100 ms, planned for about four seconds. `typedAt[i]` is when the browser had
    // handled key i (Playwright's call returns after the key's input event).
    const text = "户主在家今年种了三亩槟榔养鸡二十只孩子上学有补助医疗报销已办好下次走访看新房进度".repeat(2).slice(0, 48);
    const typedAt = [];
    let killed = false;
    const typing = (async () => {
      for (let i = 0; i < text.length && !killed; i++) {
        await page.keyboard.type(text[i]);
        typedAt.push(Date.now());
        await sleep(50 + ((i * 37) % 51));
      }
    })().catch(() => {}); // the page goes away mid-key when the browser is killed
    await sleep(3000);
    // The battery dies mid-word.
    killed = true;
    const killAt = Date.now();
    await chromium.killHard();
    await typing;
    const typedBeforeKill = typedAt.filter((at) => at <= killAt).length;
    expect(typedBeforeKill, "keys typed in the three seconds before the kill").toBeGreaterThan(25);
    expect(typedBeforeKill, "the kill came while keys were still being typed").toBeLessThan(text.length);
    const mustKeep = typedAt.filter((at) => at <= killAt - 500).length;

    chromium = await launchOwnChromium(profile);
    page = await chromium.context.newPage();
    await page.goto(server.url);
    await unlock(page);
    await openFirstHousehold(page);
    const kept = await page.locator('[id="visit.notes"]').inputValue();
    console.log(`typed ${typedBeforeKill} keys before the kill; kept ${kept.length}; required ${mustKeep}`);
    expect(text.startsWith(kept), `kept text is what was typed: ${kept}`).toBe(true);
    expect(kept.length).toBeGreaterThanOrEqual(mustKeep);
    await chromium.close();
  } finally {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

test("a full phone storage shows a clear message and keeps what was saved before", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page);
  await openFirstHousehold(page);
  await page.locator('[id="visit.notes"]').fill("存储满之前保存的内容");
  await expect(page.getByTestId("save-state")).toContainText("已保存");

  // From now on every IndexedDB write fails the way a full disk does.
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  await page.locator('[id="visit.notes"]').fill("存储满之前保存的内容，之后又写了一句");
  await expect(page.getByTestId("save-state")).toContainText("手机存储已满");
  await expect(page.locator('[id="visit.notes"]')).toHaveValue("存储满之前保存的内容，之后又写了一句");

  await reloadAndUnlock(page);
  await openSection(page, "走访记录");
  await expect(page.locator('[id="visit.notes"]')).toHaveValue("存储满之前保存的内容");
});
