// One household across three phones. The helper submits on phone A (a plan, an income sheet, a photo) a second
// version after the first was approved; the first secretary on phone B reviews exactly what was submitted — the plan,
// the income, the photo and what changed since the approved version — and approves it offline with a comment, which
// reaches the helper after the next sync; the helper then logs in on a fresh phone C and sees everything: the
// comment, the visits in the timeline, the photo. Screenshots of the review screen and the timeline at 360×740 in
// zh-CN and English.
import { test, expect } from "@playwright/test";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { DEMO_HELPER } from "./server.js";
import { field, fillAndSubmit, logIn, openReview, openSection } from "./phone.js";
import { seriousViolations } from "./axe.js";

const SECRETARY = "13800000004";
const COMMENT = "同意。下次走访请带上低保申请表。";

async function newPhone(browser) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  return { context, page: await context.newPage() };
}

async function syncNow(page) {
  await page.getByRole("navigation").locator('a[href="/sync"]').click();
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-status")).toContainText(/同步完成|Sync complete|Synced/, { timeout: 20_000 });
}

async function openHousehold(page, headName) {
  // A helper's household list, or the first secretary's village view (their home).
  await page.getByRole("navigation").locator('a[href="/households"], a[href="/village"]').first().click();
  await page
    .locator('[data-testid="household-row"], [data-testid="village-row"]')
    .filter({ hasText: headName })
    .first()
    .click();
  await page.getByTestId("save-state").waitFor();
}

async function language(page, name, lang) {
  await page.getByRole("navigation").locator('a[href="/me"]').click();
  await page.getByRole("button", { name }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

/** JPEG bytes of a solid colour, encoded by the page's own OffscreenCanvas. */
async function solidJpeg(page, width, height) {
  const base64 = await page.evaluate(
    async ({ width, height }) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext("2d");
      context.fillStyle = "rgb(120, 160, 90)";
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

async function tokenOf(url, phone) {
  const login = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  return (await login.json()).token;
}

/** The server's copy of 郑光辉's household, read with one token (each login takes one of an account's 5 sessions). */
async function serverCopy(url, token) {
  const response = await fetch(`${url}/api/assignments`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  return body.households.find((h) => h.household.members.some((m) => m.name === "郑光辉" && m.relation === "head"));
}

async function approveByApi(url, submissionId) {
  const token = await tokenOf(url, SECRETARY);
  const response = await fetch(`${url}/api/reviews`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ id: crypto.randomUUID(), submission_id: submissionId, decision: "approve", comments: "" }),
  });
  expect(response.status).toBe(200);
}

test("submitted on A, reviewed offline on B with the diff and photo, seen on a fresh phone C", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const server = await startServer();
  const a = await newPhone(browser);
  const b = await newPhone(browser);
  const c = await newPhone(browser);
  try {
    const reader = await tokenOf(server.url, DEMO_HELPER.phone);
    const serverHousehold = (url) => serverCopy(url, reader);
    // Phone A: a first version, approved on the server.
    await logIn(a.page, server.url);
    await fillAndSubmit(a.page);
    await syncNow(a.page);
    await expect.poll(async () => (await serverHousehold(server.url, "郑光辉")).review?.status, { timeout: 20_000 }).toBe("pending");
    const first = await serverHousehold(server.url, "郑光辉");
    await approveByApi(server.url, first.review.submission_id);
    await syncNow(a.page);

    // Phone A: a second version — more wage income, a second measure, a photo of the visit.
    await openHousehold(a.page, "郑光辉");
    await openSection(a.page, "收入核算");
    await field(a.page, "income.lines[0].amount").fill("42000");
    await openSection(a.page, "一户一策");
    await a.page.getByRole("button", { name: "＋ 添加措施" }).click();
    await field(a.page, "plan.measures[1].content").fill("村保洁公益岗位");
    await field(a.page, "plan.measures[1].responsible_unit").fill("三门坡镇政府");
    await field(a.page, "plan.measures[1].deadline").fill("2026-12-31");
    await openSection(a.page, "走访记录");
    await field(a.page, "visit.notes").fill("复核务工收入，拍了房屋照片。");
    const jpeg = await solidJpeg(a.page, 800, 600);
    await a.page.getByTestId("photo-gallery").setInputFiles([{ name: "house.jpg", mimeType: "image/jpeg", buffer: jpeg }]);
    await expect(a.page.getByTestId("photo")).toHaveCount(1, { timeout: 30_000 });
    await openReview(a.page);
    const reasons = await a.page.locator('#summary [id^="reason-"]').all();
    for (const reason of reasons) await reason.fill("已入户核实");
    await a.page.getByTestId("submit").click();
    await a.page.getByTestId("queued").waitFor();
    await syncNow(a.page);
    await expect
      .poll(async () => (await serverHousehold(server.url, "郑光辉")).review.submission_id, { timeout: 20_000 })
      .not.toBe(first.review.submission_id);
    expect((await serverHousehold(server.url, "郑光辉")).review.status).toBe("pending");

    // Phone B: the first secretary syncs, then reviews with no signal.
    const photoRequests = [];
    b.page.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith("/api/photos/")) photoRequests.push(path.endsWith("/thumbnail") ? "thumbnail" : "whole");
    });
    await logIn(b.page, server.url, SECRETARY);
    await openHousehold(b.page, "郑光辉");
    await b.page.getByTestId("open-review").click();
    await expect(b.page.getByTestId("review-plan")).toContainText("村保洁公益岗位");
    await expect(b.page.getByTestId("review-income")).toContainText("42000.00 元");
    await expect(b.page.getByTestId("review-changes")).toContainText("务工收入：36000.00 元 → 42000.00 元");
    await expect(b.page.getByTestId("review-changes")).toContainText("新增：");
    await expect(b.page.getByTestId("review-changes")).toContainText("村保洁公益岗位");
    await expect(b.page.getByTestId("review-visit")).toContainText("复核务工收入");
    // The photo's thumbnail comes from the server the first time (a few KB, not the whole photo) and is kept for
    // offline use; a tap opens the whole photo, fetched then and kept too.
    await expect(b.page.getByTestId("photo-shown")).toHaveCount(1, { timeout: 20_000 });
    expect(photoRequests).toEqual(["thumbnail"]);
    await expect.poll(() => b.page.getByTestId("photo-shown").evaluate((image) => image.naturalWidth)).toBe(256);
    await b.page.getByTestId("photo-open").click();
    await expect(b.page.getByTestId("photo-whole")).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => b.page.getByTestId("photo-whole").evaluate((image) => image.naturalWidth)).toBe(800);
    expect(photoRequests).toEqual(["thumbnail", "whole"]);
    await b.page.screenshot({ path: testInfo.outputPath("review-photo-whole-zh.png") });
    expect(await seriousViolations(b.page), "the photo viewer").toEqual([]);
    await b.page.getByTestId("photo-close").click();
    await expect(b.page.getByTestId("photo-viewer")).toHaveCount(0);
    // Every warning the helper explained is listed with the reason written for it.
    await expect(b.page.getByTestId("review-warning")).toHaveCount(reasons.length);
    for (const warning of await b.page.getByTestId("review-warning").all()) await expect(warning).toContainText("已入户核实");
    await b.page.screenshot({ path: testInfo.outputPath("review-screen-zh.png"), fullPage: true });

    await language(b.page, "English", "en");
    await openHousehold(b.page, "郑光辉");
    await b.page.getByTestId("open-review").click();
    await expect(b.page.getByTestId("review-changes")).toContainText("¥36000.00 → ¥42000.00");
    await expect(b.page.getByTestId("photo-shown")).toHaveCount(1, { timeout: 20_000 });
    await b.page.screenshot({ path: testInfo.outputPath("review-screen-en.png"), fullPage: true });
    await language(b.page, "中文", "zh-CN");

    await b.context.setOffline(true);
    await openHousehold(b.page, "郑光辉");
    await b.page.getByTestId("open-review").click();
    // Offline, the photo is shown from the phone, and so is the whole photo once opened before.
    await expect(b.page.getByTestId("photo-shown")).toHaveCount(1, { timeout: 20_000 });
    await b.page.getByTestId("photo-open").click();
    await expect(b.page.getByTestId("photo-whole")).toBeVisible();
    await b.page.getByTestId("photo-close").click();
    await b.page.getByTestId("review-comments").fill(COMMENT);
    await b.page.getByTestId("review-approve").click();
    await expect(b.page.getByTestId("review-done")).toBeVisible();
    await b.context.setOffline(false);
    await syncNow(b.page);
    await expect.poll(async () => (await serverHousehold(server.url, "郑光辉")).review.status).toBe("approved");

    // Phone A: the helper sees the approval comment after the next sync.
    await syncNow(a.page);
    await openHousehold(a.page, "郑光辉");
    await expect(a.page.getByTestId("plan-review")).toContainText(COMMENT);

    // Phone C: a fresh phone shows everything that was submitted from A.
    await logIn(c.page, server.url);
    await openHousehold(c.page, "郑光辉");
    await expect(c.page.getByTestId("plan-review")).toContainText(COMMENT);
    const timeline = c.page.getByTestId("timeline");
    await expect(timeline.getByTestId("timeline-visit")).toHaveCount(2, { timeout: 20_000 });
    await expect(timeline.getByTestId("timeline-decision")).toHaveCount(2);
    await expect(timeline.getByTestId("timeline-comment")).toContainText(COMMENT);
    await expect(timeline).toContainText("复核务工收入");
    await expect(timeline).toContainText("核算 2025 年收入");
    await expect(timeline.getByTestId("photo-shown")).toHaveCount(1, { timeout: 20_000 });
    await timeline.scrollIntoViewIfNeeded();
    await c.page.screenshot({ path: testInfo.outputPath("timeline-zh.png") });
    await language(c.page, "English", "en");
    await openHousehold(c.page, "郑光辉");
    await c.page.getByTestId("timeline").scrollIntoViewIfNeeded();
    await expect(c.page.getByTestId("timeline")).toContainText("plan approved by");
    await c.page.screenshot({ path: testInfo.outputPath("timeline-en.png") });
  } finally {
    await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
    await server.cleanup();
  }
});
