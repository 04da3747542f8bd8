// Outbox flush benchmark: a phone's outbox of 500 household-visit submissions and 100 photos, sent by the app's
// own sync driver in headless Chromium to the real server on this machine. Prints the total time from coming
// back online to the last item confirmed, and the rate. Numbers only; nothing is asserted.
//
//   node tools/bench-outbox.mjs [records=500] [photos=100]        (scripts/bench-outbox builds what it needs)

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/server.js";
import { chromiumArgs } from "../tests/playwright.config.js";
import { cloneOutbox, fillAndSubmit, logIn, reloadAndUnlock, serverHousehold } from "../tests/e2e/phone.js";
import { withVault } from "../tests/e2e/vault.js";

const RECORDS = Number(process.argv[2] || 500);
const PHOTOS = Number(process.argv[3] || 100);

/** A 1600×1200 JPEG of coloured noise over a gradient (a few hundred KB, like a real photo after shrinking). */
async function noisyJpeg(page, seed) {
  const base64 = await page.evaluate(async (seed) => {
    const canvas = new OffscreenCanvas(1600, 1200);
    const context = canvas.getContext("2d");
    const gradient = context.createLinearGradient(0, 0, 1600, 1200);
    gradient.addColorStop(0, `hsl(${(seed * 37) % 360}, 60%, 60%)`);
    gradient.addColorStop(1, `hsl(${(seed * 91) % 360}, 50%, 30%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, 1600, 1200);
    const image = context.getImageData(0, 0, 1600, 1200);
    let state = seed + 1;
    for (let i = 0; i < image.data.length; i += 4) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      const noise = (state % 48) - 24;
      image.data[i] += noise;
      image.data[i + 1] += noise;
      image.data[i + 2] += noise;
    }
    context.putImageData(image, 0, 0);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.85 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }, seed);
  return Buffer.from(base64, "base64");
}

const photoDir = mkdtempSync(join(tmpdir(), "zoufang-bench-photos-"));
const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await logIn(page, server.url);
  const before = await serverHousehold(server.url, "郑光辉");
  await context.setOffline(true);
  await fillAndSubmit(page, {
    async beforeSubmit(page) {
      if (PHOTOS === 0) return;
      // Written to files: Playwright refuses to pass more than 50 MB of buffers at once.
      const files = [];
      for (let n = 0; n < PHOTOS; n += 1) {
        const path = join(photoDir, `photo-${n}.jpg`);
        writeFileSync(path, await noisyJpeg(page, n));
        files.push(path);
      }
      await page.getByTestId("photo-gallery").setInputFiles(files);
      await page.getByTestId("photo").nth(PHOTOS - 1).waitFor({ timeout: 600_000 });
    },
  });
  await cloneOutbox(page, RECORDS, { keepEvidence: false });
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await reloadAndUnlock(page);
  await page.getByTestId("outbox-item").nth(RECORDS - 1).waitFor();

  const photoBytes = await withVault(page, async (vault) =>
    (await vault.entries("photos")).map(([, text]) => JSON.parse(text).evidence.bytes).reduce((a, b) => a + b, 0),
  );

  const started = Date.now();
  await context.setOffline(false);
  const sent = page.getByTestId("outbox-status").filter({ hasText: "已发送" });
  while ((await sent.count()) < RECORDS) {
    if (Date.now() - started > 900_000) throw new Error("not flushed within 15 minutes");
    await page.waitForTimeout(200);
  }
  const seconds = (Date.now() - started) / 1000;
  const after = await serverHousehold(server.url, "郑光辉");
  console.log(`outbox flush: ${RECORDS} submissions + ${PHOTOS} photos (${(photoBytes / 1024 / 1024).toFixed(1)} MB) to a local server`);
  console.log(`  total ${seconds.toFixed(1)} s, ${(RECORDS / seconds).toFixed(1)} submissions/s`);
  console.log(`  server version ${before.version} → ${after.version} (${after.version - before.version} accepted)`);
} finally {
  await browser.close();
  await server.cleanup();
  rmSync(photoDir, { recursive: true, force: true });
}
