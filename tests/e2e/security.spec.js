// The app under the server's Content-Security-Policy: a helper's whole round (log in, the list, a household's
// tabs, a photo shown from a blob: URL, submit and sync, the other tabs) raises no policy violation, and the
// policy is really enforced (an injected inline script does not run). Refused logins read plainly: a throttled
// login and a disabled account each say what happened.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { fillAndSubmit, logIn, openSection, reloadAndUnlock } from "./phone.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

/** Records every CSP violation (event and console report) the page sees, across navigations. */
async function watchViolations(page) {
  const seen = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) seen.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return seen;
}

test("a helper's round runs under the page's CSP without a single violation", async ({ page }) => {
  const violations = await watchViolations(page);
  const response = await page.goto(server.url);
  const policy = response.headers()["content-security-policy"];
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");

  await logIn(page, server.url);
  const row = page.getByTestId("household-row").filter({ hasText: "王德福" });
  await row.click();
  // Every section alone, then every step of the visit. The overview is a lazy route of its own and can show a
  // moment after the household's frame.
  const sections = 7;
  await expect(page.getByTestId("section-link")).toHaveCount(sections);
  for (let index = 0; index < sections; index += 1) {
    await page.getByTestId("section-link").nth(index).click();
    await page.getByTestId("section").waitFor();
    await page.getByTestId("section-done").click();
  }
  await page.getByTestId("start-visit").click();
  for (let step = 1; step < 6; step += 1) await page.getByTestId("step-next").click();
  await page.getByTestId("submit").waitFor();
  await openSection(page, "走访记录");
  const jpeg = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const context = canvas.getContext("2d");
    context.fillStyle = "rgb(90, 140, 200)";
    context.fillRect(0, 0, 640, 480);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: "image/jpeg" })).arrayBuffer());
    return Array.from(bytes);
  });
  await page.getByTestId("photo-gallery").setInputFiles([
    { name: "door.jpg", mimeType: "image/jpeg", buffer: Buffer.from(jpeg) },
  ]);
  await expect(page.getByTestId("photo")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("photo").locator("img")).toHaveJSProperty("complete", true);

  await page.getByRole("navigation").getByRole("link", { name: "我的户", exact: true }).click();
  await fillAndSubmit(page);
  const nav = page.getByRole("navigation");
  await nav.getByRole("link", { name: "同步", exact: true }).click();
  await expect(page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 30_000 });
  await nav.getByRole("link", { name: "夜校", exact: true }).click();
  await nav.getByRole("link", { name: "我的", exact: true }).click();
  await expect(page.getByTestId("profile")).toBeVisible();
  await reloadAndUnlock(page);
  await expect(page.getByRole("navigation")).toBeVisible();

  expect(violations).toEqual([]);
});

test("the policy is enforced: an injected inline script does not run", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto(server.url);
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true;";
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return window.__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});

test("a throttled login and a disabled account each get their own plain message", async ({ page }) => {
  await page.goto(server.url);
  const phone = page.getByLabel("手机号");
  const password = page.getByLabel("密码");
  const alert = page.getByTestId("login-error");
  await phone.fill("13800000001");
  let shown = "";
  for (let attempt = 0; attempt < 12 && !shown.includes("登录失败次数过多"); attempt += 1) {
    await password.fill(`wrong password ${attempt}`);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(alert.first()).toBeVisible();
    await page.waitForTimeout(100);
    shown = (await alert.allTextContents()).join(" ");
  }
  expect(shown).toContain("登录失败次数过多，已暂时锁定，请过几分钟再试");
  expect(shown).not.toContain("服务器出错");
  await page.screenshot({ path: test.info().outputPath("login-throttled-zh.png") });

  execFileSync(process.env.ZOUFANG_SERVER_BIN || fileURLToPath(new URL("../../target/debug/zoufang-server", import.meta.url)), [
    "admin", "disable-user", "--database", join(server.dataDir, "zoufang.sqlite"), "--phone", "13800000002",
  ]);
  await phone.fill("13800000002");
  await password.fill("zoufang2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(alert.first()).toContainText("该账号已停用，请联系乡镇管理员");
  await page.screenshot({ path: test.info().outputPath("login-disabled-zh.png") });
});
