// The screens load as chunks (app/src/routes.rs): after one online visit every screen opens with no network, also
// the ones never opened online, because the service worker keeps every file of the build; and a screen whose chunk
// cannot be fetched says so in plain words instead of breaking the app, and opens when tried again.
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { logIn, reloadAndUnlock, untilOfflineReady } from "./phone.js";

const FIRST_SECRETARY = "13800000004";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

/** Which chunks this page has fetched so far (their file names, without the hash). */
async function chunksFetched(page) {
  return page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((entry) => new URL(entry.name).pathname.slice(1))
      .filter((name) => name.endsWith(".wasm") && !name.includes("_bg"))
      .map((name) => name.replace(/-[0-9a-f]{16}\.wasm$/, "")),
  );
}

async function goOffline(context) {
  await server.stop();
  await context.setOffline(true);
}

test("a helper opens every screen offline, also screens never opened online", async ({ page, context }) => {
  await logIn(page, server.url);
  await untilOfflineReady(page);
  // Online, only the list was opened: the household and night-school screens' own chunks were at most prefetched.
  expect(await chunksFetched(page)).not.toContain("split_night_school");

  await goOffline(context);
  await reloadAndUnlock(page);
  await page.getByTestId("household-row").first().click();
  await expect(page.getByTestId("start-visit")).toBeVisible();
  await page.getByTestId("update-income").click();
  await expect(page.getByTestId("save-state")).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "夜校" }).click();
  await expect(page.getByTestId("ns-this-week").or(page.getByTestId("ns-not-for-role")).first()).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("connection")).toContainText("离线");
  await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
  await expect(page.getByTestId("profile")).toBeVisible();
  await expect(page.getByTestId("screen-unavailable")).toHaveCount(0);
  expect(await chunksFetched(page)).toEqual(expect.arrayContaining(["split_shell", "split_household", "split_night_school"]));
});

test("a first secretary opens the village view and a household offline", async ({ page, context }) => {
  await logIn(page, server.url, FIRST_SECRETARY);
  await untilOfflineReady(page);
  await goOffline(context);
  await reloadAndUnlock(page);
  await expect(page.getByTestId("village-row").first()).toBeVisible();
  await page.getByTestId("village-row").first().click();
  await expect(page.getByTestId("start-visit").or(page.getByTestId("save-state")).first()).toBeVisible();
  await expect(page.getByTestId("screen-unavailable")).toHaveCount(0);
});

test.describe("without a service worker", () => {
  // No copy of the build on the phone (a browser that refuses service workers), and the chunk's request fails.
  test.use({ serviceWorkers: "block" });

  test("a screen whose chunk cannot be fetched says so, and opens once the network is back", async ({ page }) => {
    await page.route(/split_night_school-[0-9a-f]+\.wasm$/, (route) => route.abort());
    await logIn(page, server.url);
    await page.getByRole("navigation").getByRole("link", { name: "夜校" }).click();
    const unavailable = page.getByTestId("screen-unavailable");
    await expect(unavailable).toContainText("这一页还没有下载到手机上");
    // The rest of the app still works.
    await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
    await expect(page.getByTestId("connection")).toBeVisible();

    // With the network back, opening the screen again fetches the chunk again.
    await page.unroute(/split_night_school-[0-9a-f]+\.wasm$/);
    await page.getByRole("navigation").getByRole("link", { name: "夜校" }).click();
    await expect(page.getByTestId("ns-this-week").or(page.getByTestId("ns-not-for-role")).first()).toBeVisible();
  });
});
