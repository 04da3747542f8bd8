// 电视夜校: the cadre's home is the teaching point; marks are kept on the phone across a reload; 提交 stores the
// session once; the sign-in sheet is CSV with a BOM. Screenshots at 360×740 in zh-CN and en.
import { test, expect } from "@playwright/test";
import { startServer, DEMO_PASSWORD } from "./server.js";

const CADRE = "13800000005";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

async function setLocale(page, locale) {
  await page.evaluate(async (locale) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction("meta", "readwrite");
    tx.objectStore("meta").put(JSON.stringify(locale), "locale");
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, locale);
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

test("the cadre records this week's session, keeps it across a reload and submits it once", async ({ page }, testInfo) => {
  await page.goto(server.url);
  await page.getByLabel("手机号").fill(CADRE);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
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

  await page.reload();
  await expect(page.getByTestId("ns-counts")).toHaveText("出席 5 / 请假 1 / 缺席 0 / 未记 6");
  await expect(page.getByTestId("ns-topic")).toHaveValue("冬季瓜菜种植");

  await page.getByTestId("ns-rest-absent").click();
  await expect(page.getByTestId("ns-counts")).toHaveText("出席 5 / 请假 1 / 缺席 6 / 未记 0");
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交");
  // A second press with nothing changed sends nothing new: still one session, one version.
  await page.getByTestId("ns-submit").click();
  await expect(page.getByTestId("ns-message")).toContainText("已提交");

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

  await setLocale(page, "en");
  await page.reload();
  await expect(page.getByTestId("ns-counts")).toHaveText("Present 5 / Excused 1 / Absent 6 / Not marked 0");
  await page.screenshot({ path: testInfo.outputPath("night-school-roster-en.png") });
});

test("a helper sees no recording controls on the night-school page", async ({ page }) => {
  await page.goto(server.url);
  await page.getByLabel("手机号").fill("13800000001");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("household-row").first()).toBeVisible();
  await page.goto(`${server.url}/night-school`);
  await expect(page.getByTestId("ns-not-for-role")).toBeVisible();
  await expect(page.getByTestId("ns-start")).toHaveCount(0);
});
