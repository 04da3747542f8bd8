// 农户分到教学点: in a village with two teaching points, the first secretary chooses each household's point on the
// night-school page; each cadre's roster then holds their point's households and the unassigned ones; offline the
// save is refused in plain words and the choices stay. Screenshots at 360×740 in zh-CN and en.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { apiLogin } from "./night-school-village.js";
import { logIn, reloadAndUnlock, storeLocale } from "./phone.js";
import { seriousViolations } from "./axe.js";

const CADRE = "13800000005";
const FIRST_SECRETARY = "13800000004";
const SECOND_POINT = "二组教学点";
const serverBinary = process.env.ZOUFANG_SERVER_BIN || join(import.meta.dirname, "..", "..", "target", "debug", "zoufang-server");

let server;
test.beforeEach(async () => {
  server = await startServer();
  execFileSync(serverBinary, [
    "admin", "create-teaching-point", "--database", join(server.dataDir, "zoufang.sqlite"),
    "--village", "清泉村", "--name", SECOND_POINT, "--location", "二组文化室",
  ]);
});
test.afterEach(async () => {
  await server.cleanup();
});
test.use({ viewport: { width: 360, height: 740 } });

async function rosterNames(phone) {
  const { token } = await apiLogin(server.url, phone, DEMO_PASSWORD);
  const body = await (await fetch(`${server.url}/api/night-school`, { headers: { authorization: `Bearer ${token}` } })).json();
  return Object.fromEntries(body.points.map((point) => [point.name, point.roster.map((household) => household.head_name)]));
}

async function openDivision(page) {
  await page.locator(".bottom-nav").getByRole("link", { name: /^(夜校|Night school)$/ }).click();
  await page.getByTestId("division-open").click();
  await expect(page.getByTestId("division-row").first()).toBeVisible();
}

test("the first secretary divides the village between two teaching points; each roster follows; offline the save waits", async ({ page }, testInfo) => {
  const before = await rosterNames(FIRST_SECRETARY);
  const [firstPoint] = Object.keys(before).filter((name) => name !== SECOND_POINT);
  const heads = before[firstPoint];
  // Unassigned households are on both rosters.
  expect(before[SECOND_POINT]).toEqual(heads);
  expect(heads.length).toBeGreaterThanOrEqual(3);
  const [toSecond, toFirst] = heads;

  await logIn(page, server.url, FIRST_SECRETARY);
  await openDivision(page);
  const counts = page.getByTestId("division-counts");
  await expect(counts).toContainText(`未分配：${heads.length} 户`);
  await expect(page.getByTestId("division-row")).toHaveCount(heads.length);
  await page.getByLabel(`${toSecond}户的教学点`).selectOption({ label: SECOND_POINT });
  await page.getByLabel(`${toFirst}户的教学点`).selectOption({ label: firstPoint });
  await expect(counts).toContainText(`${SECOND_POINT}：1 户`);
  await expect(counts).toContainText(`未分配：${heads.length - 2} 户`);
  await page.screenshot({ path: testInfo.outputPath("points-division-zh-CN.png") });
  expect(await seriousViolations(page), "the open division panel").toEqual([]);

  // Offline: the save is refused in plain words, and what was chosen stays on the screen.
  await page.context().setOffline(true);
  await page.getByTestId("division-save").click();
  await expect(page.getByTestId("division-status")).toContainText("未能保存：没有网络，请联网后再试。");
  await expect(page.getByLabel(`${toSecond}户的教学点`)).toHaveValue(/[0-9a-f-]{36}/);
  await page.context().setOffline(false);
  await page.getByTestId("division-save").click();
  await expect(page.getByTestId("division-status")).toHaveText("已保存，各教学点的名单已更新。");

  // The server's rosters: each point has its own households and every unassigned one.
  const after = await rosterNames(CADRE);
  expect(Object.keys(after)).toEqual([firstPoint]);
  expect(after[firstPoint]).toContain(toFirst);
  expect(after[firstPoint]).not.toContain(toSecond);
  expect(after[firstPoint]).toHaveLength(heads.length - 1);
  const village = await rosterNames(FIRST_SECRETARY);
  expect(village[SECOND_POINT]).toContain(toSecond);
  expect(village[SECOND_POINT]).not.toContain(toFirst);

  // After a reload the screen shows the division the server holds.
  await reloadAndUnlock(page);
  await openDivision(page);
  await expect(page.getByLabel(`${toSecond}户的教学点`).locator("option:checked")).toHaveText(SECOND_POINT);
  await expect(page.getByLabel(`${toFirst}户的教学点`).locator("option:checked")).toHaveText(firstPoint);
  await expect(counts).toContainText(`未分配：${heads.length - 2} 户`);

  // Taking a household back to no point puts it on both rosters again.
  await page.getByLabel(`${toFirst}户的教学点`).selectOption({ label: "未分配" });
  await page.getByTestId("division-save").click();
  await expect(page.getByTestId("division-status")).toHaveText("已保存，各教学点的名单已更新。");
  const back = await rosterNames(FIRST_SECRETARY);
  expect(back[SECOND_POINT]).toContain(toFirst);
  expect(back[firstPoint]).toContain(toFirst);

  await storeLocale(page, "en");
  await reloadAndUnlock(page);
  await openDivision(page);
  await expect(page.getByTestId("division-counts")).toContainText(`${SECOND_POINT}: 1`);
  await page.screenshot({ path: testInfo.outputPath("points-division-en.png") });
});

test("a village cadre gets no division screen", async ({ page }) => {
  await logIn(page, server.url, CADRE);
  await expect(page.getByTestId("ns-this-week")).toBeVisible();
  await expect(page.getByTestId("points-division")).toHaveCount(0);
});
