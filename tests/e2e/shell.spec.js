// The app shell: log in, the bottom navigation, opening offline, clear login errors, the language.
import { test, expect } from "@playwright/test";
import { startServer, DEMO_HELPER, DEMO_PASSWORD } from "./server.js";
import { reloadAndUnlock, setPin, unlock, untilOfflineReady } from "./phone.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

/** Logs in; `succeeds` (a right password with the server up) then sets the app PIN. */
async function logIn(page, phone = DEMO_HELPER.phone, password = DEMO_PASSWORD, succeeds = password === DEMO_PASSWORD) {
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  if (succeeds) await setPin(page);
}

function collectConsoleErrors(page) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  // A password login asks for the server's copy of the phone's data key; a first login on any phone finds none
  // (404 `no_data_key`), which Chromium logs as a failed resource. Any other failed request still counts.
  const failed = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(new URL(response.url()).pathname);
  });
  errors.expectedFailure = () =>
    failed.length > 0 && failed.every((path) => path === "/api/me/data-key");
  return errors;
}

test("a demo helper logs in and sees the shell with its four tabs", async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(server.url);
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await logIn(page);

  const nav = page.getByRole("navigation");
  for (const tab of ["我的户", "夜校", "同步", "我的"]) {
    await expect(nav.getByRole("link", { name: tab, exact: true })).toBeVisible();
  }
  await expect(page).toHaveURL(/\/households$/);
  await expect(page.getByRole("heading", { name: "我的户" })).toBeVisible();

  await nav.getByRole("link", { name: "我的", exact: true }).click();
  await expect(page.getByTestId("profile")).toContainText(DEMO_HELPER.name);
  await expect(page.getByTestId("role")).toHaveText("帮扶责任人");
  await expect(page.getByTestId("storage-persistence")).not.toBeEmpty();
  await expect(page.getByTestId("storage-usage")).toContainText("已用");

  // Every tab target is at least 44 px tall, for thumbs.
  for (const link of await nav.getByRole("link").all()) {
    const box = await link.boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  const unexpected = errors.filter(
    (error) => !(errors.expectedFailure() && error.startsWith("Failed to load resource: the server responded with a status of 404")),
  );
  expect(unexpected).toEqual([]);
});

test("the frame stays in place while screens and data load: no splash and no empty page after the first draw", async ({ page }) => {
  // Counts every time the logged-in frame leaves the page once it has been drawn (a lazy screen or a resource
  // loading again must not swap it for the splash: the field being typed in would lose the focus).
  await page.addInitScript(() => {
    window.__frameLeft = 0;
    let drawn = false;
    new MutationObserver(() => {
      const present = document.querySelector(".shell") !== null;
      if (present) drawn = true;
      else if (drawn) window.__frameLeft += 1;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(server.url);
  await logIn(page);
  await page.getByTestId("household-row").filter({ hasText: "王德福" }).click();
  await expect(page.getByTestId("section-link")).toHaveCount(7);
  await page.getByTestId("section-link").first().click();
  await page.getByTestId("section").waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "同步", exact: true }).click();
  await page.getByRole("navigation").getByRole("link", { name: "我的户", exact: true }).click();
  await page.getByTestId("household-row").first().waitFor();
  expect(await page.evaluate(() => window.__frameLeft)).toBe(0);
});

test("after one online visit the app opens offline, still logged in", async ({ page, context }) => {
  await page.goto(server.url);
  await logIn(page);
  await expect(page.getByRole("navigation")).toBeVisible();
  // Wait until the service worker has cached the shell and controls the page.
  await untilOfflineReady(page);
  const caches = await page.evaluate(async () => {
    const names = await self.caches.keys();
    const shell = names.filter((name) => name.startsWith("zoufang-shell-"));
    const cache = await self.caches.open(shell[0]);
    const urls = (await cache.keys()).map((request) => new URL(request.url).pathname);
    return { shell, urls };
  });
  expect(caches.shell).toHaveLength(1);
  expect(caches.urls).toContain("/index.html");
  expect(caches.urls.some((url) => url.endsWith("_bg.wasm"))).toBe(true);
  expect(caches.urls.some((url) => /\.js$/.test(url))).toBe(true);

  // No network at all: the server is stopped and the browser is offline.
  await server.stop();
  await context.setOffline(true);

  await reloadAndUnlock(page);
  await expect(page.getByRole("navigation").getByRole("link", { name: "我的户" })).toBeVisible();
  await page.goto(`${server.url}/me`);
  await unlock(page);
  await expect(page.getByTestId("profile")).toContainText(DEMO_HELPER.name);
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("connection")).toContainText("离线");
});

test("a wrong password shows a clear message and keeps what was typed", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page, DEMO_HELPER.phone, "not-the-password");
  await expect(page.getByTestId("login-error")).toHaveText("手机号或密码不正确");
  await expect(page.getByLabel("手机号")).toHaveValue(DEMO_HELPER.phone);
  await expect(page.getByRole("navigation")).toHaveCount(0);
});

test("form mistakes are reported at the field before anything is sent", async ({ page }) => {
  await page.goto(server.url);
  let loginRequests = 0;
  page.on("request", (request) => {
    if (request.url().endsWith("/api/login")) loginRequests += 1;
  });
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("请输入手机号")).toBeVisible();
  await page.getByLabel("手机号").fill("1380000");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("手机号应为 11 位数字")).toBeVisible();
  await expect(page.getByLabel("手机号")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("手机号").fill(DEMO_HELPER.phone);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("请输入密码")).toBeVisible();
  expect(loginRequests).toBe(0);
});

test("with the server down, logging in says so within a few seconds", async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await server.stop();
  const started = Date.now();
  await logIn(page, DEMO_HELPER.phone, DEMO_PASSWORD, false);
  await expect(page.getByTestId("login-error")).toHaveText("无法连接服务器，请检查网络后重试", { timeout: 5_000 });
  const elapsedMs = Date.now() - started;
  expect(elapsedMs).toBeLessThan(5_000);
  await expect(page.getByLabel("手机号")).toHaveValue(DEMO_HELPER.phone);
});

test("a server that accepts but never answers is given up on with a message", async ({ page }) => {
  test.setTimeout(45_000);
  await page.goto(server.url);
  // The request is held forever, as by a dead proxy on a bad 2G link.
  await page.route("**/api/login", () => {});
  await logIn(page, DEMO_HELPER.phone, DEMO_PASSWORD, false);
  await expect(page.getByRole("button", { name: "正在登录…" })).toBeDisabled();
  await expect(page.getByTestId("login-error")).toHaveText("服务器长时间没有响应，请稍后重试", { timeout: 25_000 });
  await expect(page.getByRole("button", { name: "登录" })).toBeEnabled();
});

test("English can be chosen in 我的 and is remembered after a reload", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Me" })).toBeVisible();
  await expect(page.getByTestId("role")).toHaveText("Household helper");
  await page.reload();
  // The lock screen is already in English.
  await expect(page.getByRole("heading", { name: "Enter your PIN" })).toBeVisible();
  await unlock(page);
  await expect(page.getByRole("navigation").getByRole("link", { name: "Households" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "我的" })).toBeVisible();
});

test("logging out returns to the login page and forgets the session on the phone", async ({ page }) => {
  await page.goto(server.url);
  await logIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
});
