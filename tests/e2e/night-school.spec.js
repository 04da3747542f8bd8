// 电视夜校: the cadre's home is the teaching point; marks are kept on the phone across a reload and a killed browser;
// 提交 goes through the outbox and stores the session once, offline or not; the first secretary confirms; an edit
// after the confirmation asks for a reason and the earlier version stays visible; a session edited on two phones
// shows the households marked differently; the helper of an absentee sees the follow-up; the sign-in sheet is CSV
// with a BOM. Screenshots at 360×740 in zh-CN and en.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect } from "@playwright/test";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { launchOwnChromium } from "./browser.js";
import { gotoAndUnlock, logIn, reloadAndUnlock, storeLocale } from "./phone.js";
import { apiLogin, daysBefore, growVillage, thisMonday } from "./night-school-village.js";

const CADRE = "13800000005";
const FIRST_SECRETARY = "13800000004";
const HELPER = "13800000001";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

async function api(path, phone, init = {}) {
  const { token } = await apiLogin(server.url, phone, DEMO_PASSWORD);
  return fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers || {}) },
  });
}

/** Submits a session of the cadre's point straight to the server (as another phone would have). */
async function submitSession(session, baseVersion = 0, editReason = "") {
  const response = await api("/api/submissions", CADRE, {
    method: "POST",
    body: JSON.stringify({
      id: crypto.randomUUID(),
      submitted_at: new Date().toISOString(),
      record: { kind: "attendance", session, base_version: baseVersion, edit_reason: editReason, evidence: [], warning_reasons: {} },
    }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

async function cadrePoint() {
  return (await (await api("/api/night-school", CADRE)).json()).points[0];
}

test("the cadre records this week's session, keeps it across a reload and submits it once", async ({ page }, testInfo) => {
  await logIn(page, server.url, CADRE);
  // The cadre lands on the teaching point, with no raw error from the households she does not have.
  await expect(page).toHaveURL(/\/night-school$/);
  await expect(page.getByTestId("ns-start")).toBeVisible();
  await expect(page.locator("body")).not.toContainText("rejected");
  await page.screenshot({ path: testInfo.outputPath("night-school-session-zh-CN.png") });

  await page.getByTestId("ns-start").click();
  await page.getByTestId("ns-episode").fill("12");
  await page.getByTestId("ns-topic").fill("冬季瓜菜种植");
  const rows = page.getByTestId("ns-row");
  await expect(rows).toHaveCount(12);
  for (let i = 0; i < 5; i++) await rows.nth(i).getByTestId("ns-present").click();
  await rows.nth(5).getByTestId("ns-more").click();
  await rows.nth(5).getByTestId("ns-excused").click();
  await rows.nth(5).getByTestId("ns-reason").first().click();
  await expect(page.getByTestId("ns-counts")).toHaveText("出席 5 / 请假 1 / 缺席 0 / 未记 6");
  await expect(page.getByTestId("ns-saved")).toContainText("已保存在本机");
  await page.screenshot({ path: testInfo.outputPath("night-school-roster-zh-CN.png") });

  // Search by name hides the other rows without losing marks.
  const name = (await rows.nth(0).locator(".household-name").textContent()).trim();
  await page.getByTestId("ns-search").fill(name);
  await expect(rows.filter({ visible: true })).toHaveCount(1);
  await page.getByTestId("ns-search").fill("");

  await reloadAndUnlock(page);
  await expect(page.getByTestId("ns-counts")).toHaveText("出席 5 / 请假 1 / 缺席 0 / 未记 6");
  await expect(page.getByTestId("ns-topic")).toHaveValue("冬季瓜菜种植");

  await page.getByTestId("ns-rest-absent").click();
  await expect(page.getByTestId("ns-counts")).toHaveText("出席 5 / 请假 1 / 缺席 6 / 未记 0");
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交，服务器已收到");
  // A second press with nothing changed sends nothing new: still one session, one version.
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交，服务器已收到");

  const response = await api("/api/night-school", "13800000004");
  const body = await response.json();
  const sessions = body.points[0].sessions;
  expect(sessions).toHaveLength(1);
  expect(sessions[0].version).toBe(1);
  expect(sessions[0].rate.present_households).toBe(5);
  expect(sessions[0].rate.excused_households).toBe(1);

  const csv = await api(`/api/night-school/sessions/${sessions[0].session.id}/sign-in.csv`, CADRE);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  expect(text).toContain('"组","户主","状态","出席成员","原因","备注","签名"');
  expect(text).toContain('"出席"');
  expect(text).toContain('"请假","","外出务工"');

  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await expect(page.getByTestId("ns-counts")).toHaveText("Present 5 / Excused 1 / Absent 6 / Not marked 0");
  await page.screenshot({ path: testInfo.outputPath("night-school-roster-en.png") });
});

test("a helper sees no recording controls on the night-school page", async ({ page }) => {
  await logIn(page, server.url, HELPER);
  await expect(page.getByTestId("household-row").first()).toBeVisible();
  await gotoAndUnlock(page, `${server.url}/night-school`);
  await expect(page.getByTestId("ns-not-for-role")).toBeVisible();
  await expect(page.getByTestId("ns-start")).toHaveCount(0);
});

test("offline: 200 households marked, the browser killed and reopened, synced once, confirmed; the absentee's helper sees the follow-up", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  server = await growVillage(server, 200);
  const monday = thisMonday();
  // Last week's session, recorded with nobody marked: every household has one absence already.
  const point = await cadrePoint();
  expect(point.roster).toHaveLength(200);
  await submitSession({
    schema_version: 1,
    id: crypto.randomUUID(),
    teaching_point_id: point.id,
    date: daysBefore(monday, 7),
    episode: 11,
    topic: "槟榔种植",
    discussion_notes: "",
    attendance: [],
    confirmed_by: null,
  });
  // The absentee: a household of the helper 王海燕.
  const assignments = await (await api("/api/assignments", HELPER)).json();
  const absentee = assignments.households[0].household.members.find((m) => m.relation === "head").name;

  const profile = mkdtempSync(join(tmpdir(), "zoufang-ns-profile-"));
  let chromium = await launchOwnChromium(profile);
  try {
    let page = await chromium.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await logIn(page, server.url, CADRE);
    await expect(page.getByTestId("ns-start")).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);

    // The village hall has no signal: the app opens from the phone.
    await chromium.context.setOffline(true);
    await reloadAndUnlock(page);
    await page.getByTestId("ns-start").click();
    await page.getByTestId("ns-episode").fill("12");
    await page.getByTestId("ns-topic").fill("冬季瓜菜种植");
    const rows = page.getByTestId("ns-row");
    await expect(rows).toHaveCount(200);
    const names = (await rows.locator(".household-name").allTextContents()).map((name) => name.trim());
    const absentAt = names.indexOf(absentee);
    expect(absentAt).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 200; i++) {
      if (i === absentAt || i === 3) continue;
      await rows.nth(i).getByTestId("ns-present").click();
    }
    await rows.nth(3).getByTestId("ns-more").click();
    await rows.nth(3).getByTestId("ns-excused").click();
    await rows.nth(3).getByTestId("ns-reason").first().click();
    await page.getByTestId("ns-rest-absent").click();
    await expect(page.getByTestId("ns-counts")).toHaveText("出席 198 / 请假 1 / 缺席 1 / 未记 0");
    await expect(page.getByTestId("ns-saved")).toContainText("已保存在本机");
    await page.waitForTimeout(500);
    await chromium.killHard();

    // Reopened, still offline: everything is there.
    chromium = await launchOwnChromium(profile);
    await chromium.context.setOffline(true);
    page = await chromium.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    let submissions = 0;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/submissions")) submissions++;
    });
    await gotoAndUnlock(page, server.url);
    await expect(page.getByTestId("ns-counts")).toHaveText("出席 198 / 请假 1 / 缺席 1 / 未记 0");
    await expect(page.getByTestId("ns-topic")).toHaveValue("冬季瓜菜种植");
    await expect(page.getByTestId("ns-row").nth(absentAt)).toHaveAttribute("data-status", "absent");
    await page.getByTestId("ns-submit").click();
    await expect(page.getByTestId("ns-message")).toHaveText("已提交并保存在本机，联网后自动发送");
    await page.screenshot({ path: testInfo.outputPath("night-school-offline-submitted-zh-CN.png") });

    // Back online: sent once.
    await chromium.context.setOffline(false);
    await expect(page.getByTestId("ns-message")).toContainText("已提交，服务器已收到", { timeout: 30_000 });
    await page.waitForTimeout(1500);
    expect(submissions, "one POST of the session").toBe(1);
    const sessions = (await cadrePoint()).sessions;
    const recorded = sessions.find((record) => record.session.date === monday);
    expect(sessions).toHaveLength(2);
    expect(recorded.version).toBe(1);
    expect(recorded.rate.present_households).toBe(198);
    expect(recorded.rate.excused_households).toBe(1);
    expect(recorded.rate.absent_households).toBe(1);

    // The sign-in sheet: BOM, Chinese header, the absentee as 缺席.
    const csv = await api(`/api/night-school/sessions/${recorded.session.id}/sign-in.csv`, CADRE);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"组","户主","状态","出席成员","原因","备注","签名"');
    expect(text).toContain(`"${absentee}","缺席"`);
    expect(text.split("\n").filter((line) => line.includes('"出席"')).length).toBe(198);
  } finally {
    await chromium.close();
    rmSync(profile, { recursive: true, force: true });
  }

  // The first secretary confirms, in both languages looked at.
  const secretary = await browser.newContext();
  const page = await secretary.newPage();
  await logIn(page, server.url, FIRST_SECRETARY);
  await expect(page.getByTestId("village-row").first()).toBeVisible();
  await gotoAndUnlock(page, `${server.url}/night-school`);
  await openFirstSession(page);
  await expect(page.getByTestId("ns-detail-counts")).toHaveText("出席 198 / 请假 1 / 缺席 1 / 未记 0");
  await expect(page.getByTestId("ns-detail-rate")).toContainText("参学率 99.0%（198/200 户）");
  await page.getByTestId("ns-confirm").click();
  // The 确认 is queued on the phone and sent by the sync driver; the server's record then names who confirmed.
  await expect(page.getByTestId("ns-confirm-message")).toHaveText("第 1 版的确认已发送", { timeout: 20_000 });
  await expect(page.getByTestId("ns-confirm")).toHaveCount(0);
  await reloadAndUnlock(page);
  await openFirstSession(page);
  await expect(page.getByTestId("ns-confirmation")).toContainText("第 1 版已由 符明亮");
  await page.getByTestId("ns-detail").scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-confirmation-zh-CN.png") });
  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await openFirstSession(page);
  await expect(page.getByTestId("ns-confirmation")).toContainText("Version 1 confirmed by 符明亮");
  await page.getByTestId("ns-detail").scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-confirmation-en.png") });
  await secretary.close();

  // The absentee's helper sees the follow-up in the household list.
  const helper = await browser.newContext();
  const helperPage = await helper.newPage();
  await logIn(helperPage, server.url, HELPER);
  const row = helperPage.getByTestId("household-row").filter({ hasText: absentee });
  await expect(row.getByTestId("night-school-follow-up")).toHaveText("夜校缺席 2/2 次");
  await helper.close();
});

test("an edit after the confirmation asks for a reason and keeps the earlier version visible", async ({ page }, testInfo) => {
  const point = await cadrePoint();
  const session = {
    schema_version: 1,
    id: crypto.randomUUID(),
    teaching_point_id: point.id,
    date: thisMonday(),
    episode: 12,
    topic: "冬季瓜菜种植",
    discussion_notes: "",
    attendance: [],
    confirmed_by: null,
  };
  await submitSession(session);
  const confirm = await api(`/api/night-school/sessions/${session.id}/confirm`, FIRST_SECRETARY, {
    method: "POST",
    body: JSON.stringify({ version: 1 }),
  });
  expect(confirm.status).toBe(200);

  await logIn(page, server.url, CADRE);
  const rows = page.getByTestId("ns-row");
  await expect(rows).toHaveCount(12);
  await rows.nth(0).getByTestId("ns-present").click();
  await expect(page.getByTestId("ns-edit-reason")).toBeVisible();
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-edit-reason-error")).toHaveText("请写明为什么修改已确认的签到表。");
  await page.getByTestId("ns-edit-reason").fill("补记：符家迟到半小时");
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交，服务器已收到");

  await reloadAndUnlock(page);
  await page.getByTestId("ns-session-open").first().click();
  const versions = page.getByTestId("ns-version");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("第 2 版 · 吴春花");
  await expect(versions.first().getByTestId("ns-version-reason")).toHaveText("修改原因：补记：符家迟到半小时");
  await expect(versions.nth(1)).toContainText("第 1 版 · 吴春花");
  await expect(page.getByTestId("ns-confirmation")).toContainText("第 1 版已由 符明亮");
  await expect(page.getByTestId("ns-unconfirmed")).toBeVisible();
  await page.getByTestId("ns-detail").scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-history-zh-CN.png") });
});

test("a session edited on two phones lists the households both changed, and the merge keeps each side's other marks", async ({ page }, testInfo) => {
  const point = await cadrePoint();
  const [first, second, third] = point.roster;
  const entry = (household, status, reason = null) => ({
    household_id: household.household_id,
    present_member_ids: [],
    status,
    absence_reason: reason,
    absence_note: "",
    recorded_by: "00000000-0000-0000-0000-000000000000",
    recorded_at: new Date().toISOString(),
  });
  const session = {
    schema_version: 1,
    id: crypto.randomUUID(),
    teaching_point_id: point.id,
    date: thisMonday(),
    episode: 12,
    topic: "冬季瓜菜种植",
    discussion_notes: "",
    attendance: [entry(first, "absent")],
    confirmed_by: null,
  };
  await submitSession(session);

  // This phone opens version 1 and goes offline; meanwhile another phone changes the first two households.
  await logIn(page, server.url, CADRE);
  const rows = page.getByTestId("ns-row");
  await expect(rows).toHaveCount(12);
  await page.context().setOffline(true);
  await submitSession({ ...session, attendance: [entry(first, "excused", "illness"), entry(second, "present")] }, 1);
  await rows.nth(0).getByTestId("ns-present").click();
  await rows.nth(2).getByTestId("ns-present").click();
  await page.getByTestId("ns-submit").click();
  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));

  const conflict = page.getByTestId("ns-conflict");
  await expect(conflict).toBeVisible({ timeout: 20_000 });
  const listed = conflict.getByTestId("ns-conflict-row");
  await expect(listed).toHaveCount(1);
  await expect(listed.first()).toContainText(first.head_name);
  await expect(listed.first().getByTestId("ns-keep-mine")).toHaveText("本机：出席");
  await expect(listed.first().getByTestId("ns-take-server")).toHaveText("服务器：请假 · 生病/住院");
  await conflict.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("night-school-conflict-zh-CN.png") });
  await listed.first().getByTestId("ns-take-server").click();
  await page.getByTestId("ns-merge").click();
  await expect(page.getByTestId("ns-conflict")).toHaveCount(0);
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交，服务器已收到");

  const record = (await cadrePoint()).sessions[0];
  expect(record.version).toBe(3);
  const status = (household) => record.session.attendance.find((a) => a.household_id === household.household_id)?.status;
  expect([status(first), status(second), status(third)]).toEqual(["excused", "present", "present"]);
});

/** Opens the first recorded session. The list is drawn from the phone first and again when the server's answer
 * arrives, which closes a session opened in between, so the tap is repeated until the details stay open. */
async function openFirstSession(page) {
  await expect(async () => {
    const open = page.getByTestId("ns-session-open").first();
    if ((await open.getAttribute("aria-expanded")) !== "true") await open.click();
    await expect(page.getByTestId("ns-detail")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}
