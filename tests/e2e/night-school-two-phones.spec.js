// 电视夜校 across phones and roles: the same Monday started offline on two phones makes one session (the households
// marked differently chosen on the phone); the first secretary's 确认 is queued offline and sent at the next sync;
// the 同步 page lists queued sheets and confirmations with their state; the first secretary does not get the cadre's
// recording form and a cadre has no 我的户 tab. Screenshots at 360×740 in zh-CN and en.
import { test, expect } from "@playwright/test";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { apiLogin, thisMonday } from "./night-school-village.js";
import { logIn, reloadAndUnlock, storeLocale } from "./phone.js";

const CADRE = "13800000005";
const FIRST_SECRETARY = "13800000004";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});
test.use({ viewport: { width: 360, height: 740 } });

async function api(path, phone, init = {}) {
  const { token } = await apiLogin(server.url, phone, DEMO_PASSWORD);
  return fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers || {}) },
  });
}

async function cadrePoint() {
  return (await (await api("/api/night-school", CADRE)).json()).points[0];
}

/** Another phone's first sheet for this Monday, straight to the server. */
async function otherPhoneSheet(point, attendance) {
  const session = {
    schema_version: 1,
    id: crypto.randomUUID(),
    teaching_point_id: point.id,
    date: thisMonday(),
    episode: 12,
    topic: "冬季瓜菜种植",
    discussion_notes: "",
    attendance,
    confirmed_by: null,
  };
  const response = await api("/api/submissions", CADRE, {
    method: "POST",
    body: JSON.stringify({
      id: crypto.randomUUID(),
      submitted_at: new Date().toISOString(),
      record: { kind: "attendance", session, base_version: 0, edit_reason: "", evidence: [], warning_reasons: {} },
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return session;
}

const entry = (household, status, reason = null) => ({
  household_id: household.household_id,
  present_member_ids: [],
  status,
  absence_reason: reason,
  absence_note: "",
  recorded_by: "00000000-0000-0000-0000-000000000000",
  recorded_at: new Date().toISOString(),
});

test("the same Monday started offline on two phones is one session; a household marked differently is chosen on the phone", async ({ page }, testInfo) => {
  const point = await cadrePoint();
  const [first, second, third] = point.roster;
  await logIn(page, server.url, CADRE);
  await expect(page.getByTestId("ns-start")).toBeVisible();
  // No 我的户 tab for a cadre: three tabs.
  await expect(page.locator(".bottom-nav a")).toHaveCount(3);
  await expect(page.locator(".bottom-nav")).not.toContainText("我的户");

  // This phone has no signal in the hall; another phone starts the same Monday and gets through first.
  await page.context().setOffline(true);
  await page.getByTestId("ns-start").click();
  const rows = page.getByTestId("ns-row");
  await expect(rows).toHaveCount(12);
  await rows.nth(0).getByTestId("ns-present").click();
  await rows.nth(2).getByTestId("ns-present").click();
  await otherPhoneSheet(point, [entry(first, "excused", "illness"), entry(second, "present")]);
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toHaveText("已提交并保存在本机，联网后自动发送");

  // The 同步 page lists the sheet waiting.
  await page.locator(".bottom-nav").getByRole("link", { name: "同步", exact: true }).click();
  const sheet = page.getByTestId("outbox-sheet");
  await expect(sheet).toHaveCount(1);
  await expect(sheet).toContainText(`夜校签到表 ${thisMonday()}（第 1 版）`);
  await expect(sheet.getByTestId("outbox-status")).toHaveText("待发送");

  // Back online: the server does not make a second session; the household both phones marked, differently, is
  // shown one by one.
  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(sheet.getByTestId("outbox-status")).toHaveText("需处理", { timeout: 20_000 });
  await expect(sheet.getByTestId("outbox-problem")).toContainText("另一部手机");
  await page.screenshot({ path: testInfo.outputPath("sync-night-school-zh-CN.png") });
  await page.locator(".bottom-nav").getByRole("link", { name: "夜校", exact: true }).click();
  const conflict = page.getByTestId("ns-conflict");
  await expect(conflict).toBeVisible({ timeout: 20_000 });
  const listed = conflict.getByTestId("ns-conflict-row");
  await expect(listed).toHaveCount(1);
  await expect(listed.first()).toContainText(first.head_name);
  await expect(listed.first().getByTestId("ns-keep-mine")).toHaveText("本机：出席");
  await expect(listed.first().getByTestId("ns-take-server")).toHaveText("服务器：请假 · 生病/住院");
  await conflict.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-two-phones-conflict-zh-CN.png") });
  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await expect(page.getByTestId("ns-conflict")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("ns-conflict-row").first().getByTestId("ns-take-server")).toHaveText("Server: Excused · Ill or in hospital");
  await page.getByTestId("ns-conflict").scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-two-phones-conflict-en.png") });
  await page.locator(".bottom-nav").getByRole("link", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("outbox-sheet")).toContainText("Night-school sign-in sheet");
  await page.screenshot({ path: testInfo.outputPath("sync-night-school-en.png") });
  await page.locator(".bottom-nav").getByRole("link", { name: "Night school", exact: true }).click();

  await page.getByTestId("ns-conflict-row").first().getByTestId("ns-take-server").click();
  await page.getByTestId("ns-merge").click();
  await expect(page.getByTestId("ns-conflict")).toHaveCount(0);
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("Submitted", { timeout: 20_000 });

  const sessions = (await cadrePoint()).sessions;
  expect(sessions).toHaveLength(1);
  const record = sessions[0];
  expect(record.version).toBe(2);
  const status = (household) => record.session.attendance.find((a) => a.household_id === household.household_id)?.status;
  expect([status(first), status(second), status(third)]).toEqual(["excused", "present", "present"]);
});

test("the first secretary confirms offline: queued, listed on 同步, sent when back online; no recording form for her", async ({ page }, testInfo) => {
  const point = await cadrePoint();
  await otherPhoneSheet(point, [entry(point.roster[0], "present")]);
  await logIn(page, server.url, FIRST_SECRETARY);
  await page.locator(".bottom-nav").getByRole("link", { name: "夜校", exact: true }).click();
  await expect(page.getByTestId("ns-session")).toHaveCount(1);
  // She confirms what the cadre recorded; she does not start this week's session with the cadre's form.
  await expect(page.getByTestId("ns-start")).toHaveCount(0);
  await expect(page.getByTestId("ns-row")).toHaveCount(0);
  await expect(page.getByTestId("ns-recorded-by-cadre")).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready);

  await page.context().setOffline(true);
  await expect(async () => {
    const open = page.getByTestId("ns-session-open").first();
    if ((await open.getAttribute("aria-expanded")) !== "true") await open.click();
    await expect(page.getByTestId("ns-detail")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByTestId("ns-confirm").click();
  await expect(page.getByTestId("ns-confirm-message")).toHaveText("第 1 版的确认已保存在手机上，联网后自动发送", { timeout: 20_000 });
  await expect(page.getByTestId("ns-session-mark")).toHaveText("确认待发送");
  await page.getByTestId("ns-detail").scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-confirm-queued-zh-CN.png") });
  await page.locator(".bottom-nav").getByRole("link", { name: "同步", exact: true }).click();
  const queued = page.getByTestId("outbox-confirmation");
  await expect(queued).toContainText(`确认夜校签到表 ${thisMonday()}（第 1 版）`);
  await expect(queued.getByTestId("outbox-status")).toHaveText("待发送");

  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(queued.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });
  const record = (await cadrePoint()).sessions[0];
  expect(record.confirmation?.version).toBe(1);
  expect(record.confirmation?.confirmed_by).toBe("符明亮");

  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await expect(page.getByTestId("outbox-confirmation").getByTestId("outbox-status")).toHaveText("Sent");
  await page.locator(".bottom-nav").getByRole("link", { name: "Night school", exact: true }).click();
  await expect(page.getByTestId("ns-recorded-by-cadre")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("night-school-secretary-en.png") });
});
