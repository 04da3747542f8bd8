// Each byte is fetched once: the service worker precaches the files the page has just loaded from the HTTP
// cache instead of downloading them again, and a new build downloads only the files that changed.
import { test, expect } from "@playwright/test";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer, DIST_DIR } from "./server.js";
import { startCountingProxy } from "./counting-proxy.js";
import { logIn, reloadAndUnlock, unlock } from "./phone.js";

const finishBuild = resolve(import.meta.dirname, "..", "..", "tools", "finish-build.mjs");

test("the first visit downloads the wasm once, and an update only what changed", async ({ page }) => {
  const dist = mkdtempSync(join(tmpdir(), "zoufang-dist-"));
  cpSync(DIST_DIR, dist, { recursive: true });
  const hashed = readdirSync(dist)
    .filter((name) => /\.(wasm|js|css)$/.test(name) && name !== "sw.js")
    .map((name) => "/" + name);
  const wasm = hashed.find((path) => path.endsWith(".wasm"));
  expect(wasm, "the build has a wasm file").toBeTruthy();
  const server = await startServer({ dist });
  const proxy = await startCountingProxy(server.url);
  try {
    await logIn(page, proxy.url);
    await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
    await expect(page.getByText("已可离线打开")).toBeVisible();
    // The worker's cache holds the whole build ...
    const cached = await page.evaluate(async () => {
      const cache = await caches.open((await caches.keys())[0]);
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    });
    for (const path of hashed) expect(cached).toContain(path);
    // ... and every hashed file reached the server exactly once.
    for (const path of hashed) expect(proxy.hits(path), `${path} in ${JSON.stringify(proxy.all())}`).toBe(1);

    // Build 2 changes only the page: the update fetches index.html (and the worker) again, not the wasm.
    const indexPath = join(dist, "index.html");
    writeFileSync(indexPath, readFileSync(indexPath, "utf8").replace("</body>", "<!-- build 2 --></body>"));
    execFileSync("node", [finishBuild, dist]);
    const pagesBefore = proxy.hits("/index.html");
    await reloadAndUnlock(page);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r && r.update()));
    const reloaded = page.waitForEvent("load");
    await page.getByRole("button", { name: "更新并重新打开" }).click();
    await reloaded;
    await unlock(page);
    await expect(page.getByRole("navigation")).toBeVisible();
    const html = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys[keys.length - 1]);
      return (await (await cache.match("/index.html")).text());
    });
    expect(html).toContain("build 2");
    // The new build replaced the old one as a whole: one cache, holding exactly the new build's files (every chunk
    // with the main module it belongs to).
    const after = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys[keys.length - 1]);
      return { caches: keys.length, files: (await cache.keys()).map((request) => new URL(request.url).pathname) };
    });
    expect(after.caches).toBe(1);
    const built = JSON.parse(/const BUILD = (\{.*?\});\n/.exec(readFileSync(join(dist, "sw.js"), "utf8"))[1]);
    expect([...after.files].sort()).toEqual([...built.files].sort());
    expect(proxy.hits("/index.html")).toBeGreaterThan(pagesBefore);
    for (const path of hashed) expect(proxy.hits(path), `${path} after the update`).toBe(1);
  } finally {
    await proxy.close();
    await server.cleanup();
    rmSync(dist, { recursive: true, force: true });
  }
});
