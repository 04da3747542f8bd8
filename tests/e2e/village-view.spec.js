// The first secretary's village view: its counts are the households', a filter narrows the list, a row opens the
// household, and after one sync it still shows with no network. Screenshots at 360×740 in zh-CN and English.
import { test, expect } from "@playwright/test";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { logIn, reloadAndUnlock } from "./phone.js";

const FIRST_SECRETARY = "13800000004";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

/** The colour counts of the summary, by colour code (`Red`, `NotAccounted` …). */
async function summaryCounts(page) {
  const counts = {};
  for (const button of await page.getByTestId("village-count").all()) {
    counts[await button.getAttribute("data-colour")] = Number(
      (await button.locator(".village-count-number").textContent()).trim(),
    );
  }
  return counts;
}

/** The colours of the households in the village list, counted by colour code. */
async function listCounts(page) {
  const counts = {};
  for (const colour of await page
    .getByTestId("village-households")
    .getByTestId("village-row")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-colour")))) {
    counts[colour] = (counts[colour] ?? 0) + 1;
  }
  return counts;
}

/// Rows the village list shows before 显示更多 (app/src/pages/village/rows.rs `PAGE`); the demo village has 12.
const FIRST_PAGE = 10;

/// Taps 显示更多 under the village list until every household it lists is shown.
async function showAllRows(page) {
  const more = page.locator("section.village-households").getByTestId("village-more");
  while (await more.count()) await more.click();
}

test("the first secretary lands on the village view and its counts match the households", async ({ page }) => {
  await logIn(page, server.url, FIRST_SECRETARY);
  await expect(page).toHaveURL(/\/village$/);
  await expect(page.getByTestId("village-sync")).toContainText("户信息更新于");
  const rows = page.getByTestId("village-households").getByTestId("village-row");
  await expect(rows).toHaveCount(FIRST_PAGE);
  await expect(page.locator("section.village-households").getByTestId("village-more")).toContainText("2");
  await expect(page.getByTestId("village-summary")).toHaveAttribute("data-total", "12");
  await showAllRows(page);
  await expect(rows).toHaveCount(12);

  const summary = await summaryCounts(page);
  const listed = await listCounts(page);
  for (const [colour, count] of Object.entries(summary)) expect(listed[colour] ?? 0, colour).toBe(count);
  expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(12);
  // The demo has no income sheets yet: no household may show as 绿.
  expect(summary.Green).toBe(0);

  // The same households, counted through the server's own answer.
  const login = await page.request.post(`${server.url}/api/login`, {
    data: { phone: FIRST_SECRETARY, password: DEMO_PASSWORD },
  });
  expect(login.ok()).toBe(true);
  const { token } = await login.json();
  const assignments = await page.request.get(`${server.url}/api/assignments`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const fromServer = {};
  for (const household of (await assignments.json()).households) {
    fromServer[household.risk.colour] = (fromServer[household.risk.colour] ?? 0) + 1;
  }
  const codes = { red: "Red", yellow: "Yellow", green: "Green", not_accounted: "NotAccounted", not_configured: "NotConfigured" };
  for (const [colour, count] of Object.entries(fromServer)) expect(summary[codes[colour]], colour).toBe(count);

  // Every household never visited counts as overdue (the demo's setting: 30 days).
  await page.getByTestId("panel-overdue").locator("summary").click();
  await expect(page.getByTestId("panel-overdue").locator("summary")).toContainText("超过 30 天未走访");
  // Each helper's households add up to the village.
  await page.getByTestId("panel-helpers").locator("summary").click();
  const perHelper = await page
    .getByTestId("village-helpers")
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((row) => Number(row.children[1].textContent)));
  expect(perHelper.reduce((a, b) => a + b, 0)).toBe(12);
});

test("a colour and a 组 filter narrow the list; a row opens the household", async ({ page }) => {
  await logIn(page, server.url, FIRST_SECRETARY);
  const rows = page.getByTestId("village-households").getByTestId("village-row");
  await expect(rows).toHaveCount(FIRST_PAGE);

  // A tap on a colour's count shows only that colour, with the reasons of each household.
  const red = page.locator('[data-testid="village-count"][data-colour="Red"]');
  const redCount = Number((await red.locator(".village-count-number").textContent()).trim());
  expect(redCount).toBeGreaterThan(0);
  await red.click();
  await expect(red).toHaveAttribute("aria-pressed", "true");
  await showAllRows(page);
  await expect(rows).toHaveCount(redCount);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute("data-colour", "Red");
    expect(await row.locator(".village-reasons li").count()).toBeGreaterThan(0);
  }
  await red.click();
  await expect(rows).toHaveCount(FIRST_PAGE);

  // 组: only the group's households.
  await page.getByTestId("filter-group").selectOption("一组");
  await showAllRows(page);
  const inGroup = await rows.count();
  expect(inGroup).toBeGreaterThan(0);
  expect(inGroup).toBeLessThan(12);
  for (const row of await rows.all()) await expect(row.locator(".household-meta").first()).toContainText("一组");
  await expect(page.getByTestId("village-shown")).toHaveAttribute("data-count", String(inGroup));

  // A row opens its household.
  const name = (await rows.first().locator(".household-name").textContent()).trim();
  await rows.first().click();
  await expect(page).toHaveURL(/\/households\/[0-9a-f-]{36}$/);
  await expect(page.locator(".household-header h1")).toHaveText(name);
});

test("after one sync the village view shows with no network", async ({ page, context }, testInfo) => {
  await logIn(page, server.url, FIRST_SECRETARY);
  await expect(page.getByTestId("village-households").getByTestId("village-row")).toHaveCount(FIRST_PAGE);
  const online = await summaryCounts(page);
  await page.screenshot({ path: testInfo.outputPath("village-zh-CN.png") });
  await page.getByTestId("panel-night-school").locator("summary").click();
  await page.getByTestId("panel-helpers").locator("summary").click();
  await page.screenshot({ path: testInfo.outputPath("village-panels-zh-CN.png"), fullPage: true });

  await page.evaluate(() => navigator.serviceWorker.ready);
  await server.stop();
  await context.setOffline(true);
  await reloadAndUnlock(page);
  await expect(page.getByTestId("village-households").getByTestId("village-row")).toHaveCount(FIRST_PAGE);
  await expect(page.getByTestId("village-sync")).toContainText("未能更新户信息");
  expect(await summaryCounts(page)).toEqual(online);

  // English, still offline.
  await page.getByRole("navigation").locator('a[href="/me"]').click();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Village" }).click();
  await expect(page.getByTestId("panel-awaiting").locator("summary")).toContainText("Plans awaiting review");
  await page.screenshot({ path: testInfo.outputPath("village-en.png") });
  await page.getByTestId("panel-overdue").locator("summary").click();
  await page.getByTestId("panel-night-school").locator("summary").click();
  await page.screenshot({ path: testInfo.outputPath("village-panels-en.png"), fullPage: true });
});
