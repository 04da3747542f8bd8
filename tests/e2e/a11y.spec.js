// Accessibility: axe-core (the engine behind Lighthouse's accessibility audit) on every page a user can reach,
// as each role, in zh-CN and English, at the phone size the suite uses. Serious and critical violations fail.
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { logIn as logInAs } from "./phone.js";
import { seriousViolations } from "./axe.js";

async function expectAccessible(page, where) {
  await page.waitForLoadState("networkidle");
  expect(await seriousViolations(page), where).toEqual([]);
}

async function logIn(page, url, phone) {
  await logInAs(page, url, phone);
  await page.getByRole("navigation").waitFor();
}

/** Every link of the bottom navigation, then the first household a row leads to. */
async function visitEveryPage(page, role) {
  const navigation = page.getByRole("navigation");
  const links = await navigation.getByRole("link").all();
  const targets = [];
  for (const link of links) targets.push(await link.getAttribute("href"));
  for (const href of targets) {
    await navigation.locator(`a[href="${href}"]`).click();
    await expectAccessible(page, `${role} ${href}`);
  }
  // A helper's households, or a first secretary's village view; a cadre has neither.
  const home = navigation.locator('a[href="/households"], a[href="/village"]');
  if (await home.count()) await home.first().click();
  const row = page.locator('[data-testid="household-row"], [data-testid="village-row"]').first();
  if (await row.count()) {
    await row.click();
    await expectAccessible(page, `${role} household page`);
    for (const tab of await page.getByRole("tab").all()) {
      await tab.click();
      await expectAccessible(page, `${role} household tab ${await tab.textContent()}`);
    }
  }
}

test("the login page has no serious accessibility violations in either language", async ({ page }) => {
  const server = await startServer();
  try {
    await page.goto(server.url);
    await page.getByLabel("手机号").waitFor();
    await expectAccessible(page, "login zh-CN");
    await page.getByRole("button", { name: "登录" }).click();
    await expectAccessible(page, "login zh-CN with field errors");
  } finally {
    await server.cleanup();
  }
});

for (const [role, phone] of [
  ["helper", "13800000001"],
  ["first secretary", "13800000004"],
  ["village cadre", "13800000005"],
]) {
  test(`every page of the ${role} has no serious accessibility violations`, async ({ page }) => {
    const server = await startServer();
    try {
      await logIn(page, server.url, phone);
      await visitEveryPage(page, role);
      if (role === "helper") {
        await page.getByRole("navigation").locator('a[href="/me"]').click();
        await page.getByRole("button", { name: "English" }).click();
        await expect(page.locator("html")).toHaveAttribute("lang", "en");
        await visitEveryPage(page, `${role} (English)`);
      }
    } finally {
      await server.cleanup();
    }
  });
}
