// 电视夜校 after the lesson: the cadre records a 点单 request, a 961017 referral and a 夜校集市 sale (typed in 元,
// refused field by field when wrong), they survive a reload, reach the server with the session's 提交 (the sale in
// 分) with an optional group photo, and the session's sign-in sheet prints one line per household. Screenshots at 360×740 in zh-CN and en.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { gotoAndUnlock, logIn, reloadAndUnlock, storeLocale } from "./phone.js";
import { withVault } from "./vault.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now (as in a11y.spec.js). */
async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }),
  );
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ rule: violation.id, help: violation.help, nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")) }));
}

const CADRE = "13800000005";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

async function solidJpeg(page, width, height) {
  const base64 = await page.evaluate(
    async ({ width, height }) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext("2d");
      context.fillStyle = "rgb(90, 140, 200)";
      context.fillRect(0, 0, width, height);
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    },
    { width, height },
  );
  return Buffer.from(base64, "base64");
}

/** The SHA-256 of each photo the phone keeps (sealed with the user's data key: see vault.js). */
async function storedPhotoHashes(page) {
  return withVault(page, async (vault) =>
    (await vault.entries("photos")).map(([, text]) => JSON.parse(text).evidence.sha256),
  );
}

async function api(path, phone) {
  const login = await fetch(`${server.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  const { token } = await login.json();
  return fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

test("after the lesson the cadre records a request, a referral and a sale, and they reach the server", async ({ page }, testInfo) => {
  await logIn(page, server.url, CADRE);
  await expect(page).toHaveURL(/\/night-school$/);
  await page.getByTestId("ns-start").click();
  await page.getByTestId("ns-episode").fill("12");
  await page.getByTestId("ns-topic").fill("冬季瓜菜种植");
  const rows = page.getByTestId("ns-row");
  await expect(rows).toHaveCount(12);
  for (let i = 0; i < 3; i++) await rows.nth(i).getByTestId("ns-present").click();
  await expect(page.getByTestId("ns-saved")).toContainText("已保存在本机");

  await page.getByTestId("ns-after-link").click();
  await expect(page).toHaveURL(/\/night-school\/sessions\/[0-9a-f-]+\/after$/);
  await expect(page.getByTestId("after-session")).toContainText("冬季瓜菜种植");

  // 点单: an empty request is refused at its field; then one household's request.
  await page.getByTestId("after-request-add").click();
  await expect(page.getByTestId("after-request-error")).toHaveText("请写明想学什么。");
  const requester = page.getByTestId("after-request-household");
  const requesterOption = requester.locator("option").nth(1);
  const requesterName = (await requesterOption.textContent()).trim();
  await requester.selectOption({ index: 1 });
  await page.getByTestId("after-request-text").fill("槟榔黄化病防治");
  await page.getByTestId("after-request-add").click();
  await expect(page.getByTestId("after-request-error")).toHaveCount(0);
  await expect(page.getByTestId("after-request-item")).toHaveText([new RegExp(`${requesterName}.*槟榔黄化病防治`)]);

  // 961017: a question of the whole room.
  await page.getByTestId("after-referral-text").fill("小额信贷怎么申请");
  await page.getByTestId("after-referral-add").click();
  await expect(page.getByTestId("after-referral-item")).toHaveText([/全场.*小额信贷怎么申请/]);

  // 集市: every wrong field says what is wrong; three decimals are refused; 45.5 元 is kept as 4550 分.
  await page.getByTestId("after-sale-add").click();
  await expect(page.getByTestId("after-sale-seller-error")).toHaveText("请选择卖方农户。");
  await expect(page.getByTestId("after-sale-product-error")).toHaveText("请填写销售的产品");
  await expect(page.getByTestId("after-sale-amount-error")).toHaveText("金额为空");
  await expect(page.getByTestId("after-sale-amount")).toHaveAttribute("aria-invalid", "true");
  await page.getByTestId("after-sale-seller").selectOption({ index: 2 });
  await page.getByTestId("after-sale-product").fill("土鸡蛋");
  await page.getByTestId("after-sale-amount").fill("45.555");
  await page.getByTestId("after-sale-add").click();
  await expect(page.getByTestId("after-sale-seller-error")).toHaveCount(0);
  await expect(page.getByTestId("after-sale-product-error")).toHaveCount(0);
  await expect(page.getByTestId("after-sale-amount-error")).toHaveText("金额最多保留两位小数(精确到分)");
  await expect(page.getByTestId("after-sale-item")).toHaveCount(0);
  await page.getByTestId("after-sale-amount").fill("45.5");
  await page.getByTestId("after-sale-add").click();
  await expect(page.getByTestId("after-sale-item")).toHaveText([/土鸡蛋 · 45\.50 元/]);
  await expect(page.getByTestId("after-sale-total")).toHaveText("合计 45.50 元");
  await expect(page.getByTestId("after-saved")).toContainText("已保存在本机");

  // An optional group photo, through the photo pipeline, watermarked with the teaching point.
  await page.getByTestId("after-photo-input").setInputFiles([
    { name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: await solidJpeg(page, 1200, 900) },
  ]);
  await expect(page.getByTestId("after-photo-item")).toHaveCount(1);
  await expect(page.getByTestId("after-photo-item")).toContainText("清泉村委会教学点");
  const [photoHash] = await storedPhotoHashes(page);
  expect(photoHash).toMatch(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: testInfo.outputPath("after-lesson-zh-CN.png"), fullPage: true });
  expect(await seriousViolations(page), "after-lesson screen").toEqual([]);

  // Kept on the phone: a reload shows all three.
  await reloadAndUnlock(page);
  await expect(page.getByTestId("after-request-item")).toHaveCount(1);
  await expect(page.getByTestId("after-referral-item")).toHaveCount(1);
  await expect(page.getByTestId("after-sale-item")).toHaveCount(1);
  await expect(page.getByTestId("after-photo-item")).toHaveCount(1);

  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await expect(page.getByTestId("after-sale-total")).toHaveText("Total 45.50 yuan");
  await page.getByTestId("after-sale-add").click();
  await expect(page.getByTestId("after-sale-amount-error")).toHaveText("the amount is empty");
  await page.screenshot({ path: testInfo.outputPath("after-lesson-en.png"), fullPage: true });
  await storeLocale(page, "zh-CN");

  // Back on the session, 提交 sends them with the attendance.
  await gotoAndUnlock(page, `${server.url}/night-school`);
  await expect(page.getByTestId("ns-counts")).toContainText("出席 3");
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交");

  // The sheet goes out through the outbox at the sync 提交 starts: wait until the server has the session.
  let body;
  await expect
    .poll(
      async () => {
        body = await (await api("/api/night-school", CADRE)).json();
        return body.points[0].sessions.length;
      },
      { timeout: 20_000 },
    )
    .toBe(1);
  const point = body.points[0];
  const session = point.sessions[0].session;
  expect(session.training_requests).toHaveLength(1);
  expect(session.training_requests[0].topic).toBe("槟榔黄化病防治");
  const asked = point.roster.find((household) => household.household_id === session.training_requests[0].household_id);
  expect(requesterName).toContain(asked.head_name);
  expect(session.hotline_referrals).toEqual([{ household_id: null, question: "小额信贷怎么申请" }]);
  expect(session.market_sales).toHaveLength(1);
  expect(session.market_sales[0].product).toBe("土鸡蛋");
  expect(session.market_sales[0].amount).toBe(4550);
  expect(session.market_sales[0].seller_household_id).toBe(point.roster[1].household_id);
  expect(JSON.stringify(body)).not.toMatch(/id_number|phone|bank|health/);
  // The photo went first and the session links it: the first secretary, who never uploaded it, may fetch it.
  const photo = await api(`/api/photos/${photoHash}`, "13800000004");
  expect(photo.status).toBe(200);
  expect(photo.headers.get("content-type")).toBe("image/jpeg");
});

test("the session's sign-in sheet prints one line per household with a signature column", async ({ page }, testInfo) => {
  await logIn(page, server.url, CADRE);
  await page.getByTestId("ns-start").click();
  await page.getByTestId("ns-episode").fill("12");
  await page.getByTestId("ns-topic").fill("冬季瓜菜种植");
  const rows = page.getByTestId("ns-row");
  for (let i = 0; i < 4; i++) await rows.nth(i).getByTestId("ns-present").click();
  await rows.nth(4).getByTestId("ns-more").click();
  await rows.nth(4).getByTestId("ns-excused").click();
  await rows.nth(4).getByTestId("ns-reason").first().click();
  await expect(page.getByTestId("ns-saved")).toContainText("已保存在本机");

  await page.getByTestId("ns-print-link").scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("session-links-zh-CN.png") });
  await page.getByTestId("ns-print-link").click();
  await expect(page).toHaveURL(/\/night-school\/sessions\/[0-9a-f-]+\/print$/);
  const sheet = page.getByTestId("sign-in-sheet");
  await expect(sheet).toContainText("脱贫致富电视夜校签到表");
  await expect(sheet).toContainText("第 12 期");
  await expect(page.getByTestId("sign-in-line")).toHaveCount(12);
  await expect(sheet.locator("th")).toHaveText(["序号", "组", "户主", "出席成员", "出席情况", "签名"]);
  await expect(page.getByTestId("sign-in-line").nth(4)).toContainText("请假（外出务工）");
  await expect(page.getByTestId("sign-in-total")).toContainText("应到 12 户，出席 4 户，请假 1 户");
  await expect(page.getByTestId("sign-in-total")).toContainText("参学率 33.3%");
  await page.screenshot({ path: testInfo.outputPath("sign-in-sheet-zh-CN.png"), fullPage: true });
  expect(await seriousViolations(page), "sign-in sheet").toEqual([]);

  // On paper: the app around the sheet is hidden; A4 at 96 dpi is 794 px wide.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".bottom-nav")).toBeHidden();
  await expect(page.getByTestId("print-button")).toBeHidden();
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: testInfo.outputPath("sign-in-sheet-printed-zh-CN.png"), fullPage: true });
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.length).toBeGreaterThan(1000);
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 360, height: 740 });

  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await expect(sheet.locator("th")).toHaveText(["No", "Group", "Head", "Members present", "Attendance", "Signature"]);
  await expect(page.getByTestId("sign-in-total")).toContainText("12 households expected, 4 present, 1 excused");
  await page.screenshot({ path: testInfo.outputPath("sign-in-sheet-en.png"), fullPage: true });
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: testInfo.outputPath("sign-in-sheet-printed-en.png"), fullPage: true });
});
