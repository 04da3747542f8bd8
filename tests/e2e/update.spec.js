// A new build replaces the cached shell cleanly: it waits until the user updates, then html, js and
// wasm all come from the new build and the old cache is gone.
import { test, expect } from "@playwright/test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer, DIST_DIR, DEMO_HELPER, DEMO_PASSWORD } from "./server.js";
import { reloadAndUnlock, setPin, unlock } from "./phone.js";

const finishBuild = resolve(import.meta.dirname, "..", "..", "tools", "finish-build.mjs");

test("a new build is offered, then replaces the old shell and its cache", async ({ page }) => {
  const dist = mkdtempSync(join(tmpdir(), "zoufang-dist-"));
  cpSync(DIST_DIR, dist, { recursive: true });
  const server = await startServer({ dist });
  try {
    await page.goto(server.url);
    await page.getByLabel("手机号").fill(DEMO_HELPER.phone);
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await setPin(page);
    await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
    await expect(page.getByText("已可离线打开")).toBeVisible();
    const before = await page.evaluate(() => caches.keys());
    expect(before).toHaveLength(1);

    // Deploy "build 2": a changed page means a new content hash, a new worker and a new cache name.
    const indexPath = join(dist, "index.html");
    writeFileSync(indexPath, readFileSync(indexPath, "utf8").replace("</body>", "<!-- build 2 --></body>"));
    execFileSync("node", [finishBuild, dist]);

    await reloadAndUnlock(page);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r && r.update()));
    await expect(page.getByRole("button", { name: "更新并重新打开" })).toBeVisible({ timeout: 15_000 });
    // Until the user chooses, the page still runs entirely on build 1.
    expect(await page.evaluate(() => document.documentElement.outerHTML.includes("build 2"))).toBe(false);

    // Updating reloads the page once the new worker controls it.
    const reloaded = page.waitForEvent("load");
    await page.getByRole("button", { name: "更新并重新打开" }).click();
    await reloaded;
    await unlock(page);
    await expect(page.getByRole("navigation")).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => caches.keys()).catch(() => before), { timeout: 15_000 })
      .not.toEqual(before);
    const after = await page.evaluate(() => caches.keys());
    expect(after).toHaveLength(1);
    const html = await page.evaluate(async () => {
      const cache = await caches.open((await caches.keys())[0]);
      return (await (await cache.match("/index.html")).text());
    });
    expect(html).toContain("build 2");
    await expect(page.getByRole("navigation")).toBeVisible();
  } finally {
    await server.cleanup();
    rmSync(dist, { recursive: true, force: true });
  }
});
