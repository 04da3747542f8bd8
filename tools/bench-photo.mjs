// Photo benchmark (numbers, not a test): a 12-megapixel JPEG (4000×3000, gradients and noise, quality 0.92)
// picked in the visit form of the release app, in headless Chromium against the real server. Prints
//   - the app's own pipeline, file → stored (sniff, decode shrunk and upright, watermark, JPEG 0.8, thumbnail,
//     SHA-256, IndexedDB commit): the `zoufang:photo` performance measure, median of RUNS;
//   - the same resize done in the same page by the npm library browser-image-compression (maxWidthOrHeight 1600,
//     quality 0.8), on the main thread and in its web worker, median of RUNS each, and the ratios;
//   - the stored bytes per photo.
//
//   node tools/bench-photo.mjs        (scripts/bench-photo builds what is missing first)

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/server.js";
import { chromiumArgs } from "../tests/playwright.config.js";
import { setPin } from "../tests/e2e/phone.js";
import { withVault } from "../tests/e2e/vault.js";

const RUNS = Math.max(5, Number(process.env.RUNS || 7));
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const libraryPath = join(root, "node_modules", "browser-image-compression", "dist", "browser-image-compression.js");
const librarySource = readFileSync(libraryPath, "utf8");
const libraryVersion = JSON.parse(readFileSync(join(root, "node_modules", "browser-image-compression", "package.json"), "utf8")).version;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(0)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

// The library's web worker loads the library again with importScripts(libURL); serve it from here (its default
// URL is a CDN, unreachable on these machines). Counting the requests shows the worker really ran.
let workerLibraryRequests = 0;
const libraryServer = createServer((request, response) => {
  workerLibraryRequests += 1;
  response.writeHead(200, { "content-type": "text/javascript", "access-control-allow-origin": "*" });
  response.end(librarySource);
});
await new Promise((resolve) => libraryServer.listen(0, "127.0.0.1", resolve));
const libraryUrl = `http://127.0.0.1:${libraryServer.address().port}/browser-image-compression.js`;

const server = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs });
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    permissions: ["geolocation"],
    geolocation: { latitude: 19.98765, longitude: 110.3312, accuracy: 12 },
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel("手机号").fill("13800000001");
  await page.getByLabel("密码").fill("zoufang2026");
  await page.getByRole("button", { name: "登录" }).click();
  await setPin(page);
  await page.getByTestId("household-row").first().click();
  await page.getByRole("tab", { name: "走访记录" }).click();
  await page.getByTestId("photos").waitFor();

  // A photo-like 12 MP JPEG: smooth gradients, a few shapes, and per-pixel noise so the encoder has real detail.
  const base64 = await page.evaluate(async () => {
    const width = 4000;
    const height = 3000;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    const sky = context.createLinearGradient(0, 0, 0, height);
    sky.addColorStop(0, "#7fb2e5");
    sky.addColorStop(0.55, "#d9e6ef");
    sky.addColorStop(0.56, "#6b8f3a");
    sky.addColorStop(1, "#3d5a1f");
    context.fillStyle = sky;
    context.fillRect(0, 0, width, height);
    for (let i = 0; i < 40; i++) {
      const x = (i * 997) % width;
      const y = height * 0.45 + ((i * 463) % (height * 0.5));
      const radial = context.createRadialGradient(x, y, 10, x, y, 300);
      radial.addColorStop(0, `hsla(${(i * 37) % 360}, 55%, 45%, 0.9)`);
      radial.addColorStop(1, "hsla(0, 0%, 50%, 0)");
      context.fillStyle = radial;
      context.fillRect(x - 300, y - 300, 600, 600);
    }
    const image = context.getImageData(0, 0, width, height);
    let seed = 12345;
    for (let i = 0; i < image.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = (seed % 41) - 20;
      image.data[i] += noise;
      image.data[i + 1] += noise;
      image.data[i + 2] += noise;
    }
    context.putImageData(image, 0, 0);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    globalThis.__benchBytes = bytes;
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  const source = Buffer.from(base64, "base64");

  // The app's pipeline, through the visit form's file input, as a person picks a photo.
  const appTimes = [];
  for (let run = 0; run < RUNS; run++) {
    await page.evaluate(() => performance.clearMeasures("zoufang:photo"));
    await page.getByTestId("photo-gallery").setInputFiles([{ name: `bench-${run}.jpg`, mimeType: "image/jpeg", buffer: source }]);
    const handle = await page.waitForFunction(() => performance.getEntriesByName("zoufang:photo", "measure")[0]?.duration, null, { timeout: 60_000 });
    appTimes.push(await handle.jsonValue());
    await page.getByTestId("photo-status").waitFor({ state: "detached" });
  }
  const problems = await page.getByTestId("photo-problem").allTextContents();
  if (problems.length) throw new Error(`the app refused the benchmark photo: ${problems.join("; ")}`);
  // Records are sealed with the user's data key: vault.js opens them with the PIN.
  const stored = await withVault(page, async (vault) =>
    (await vault.entries("photos"))
      .map(([, json]) => JSON.parse(json))
      .map((record) => ({ bytes: record.evidence.bytes, width: record.evidence.width, height: record.evidence.height, thumbnail: record.thumbnail_bytes })),
  );

  // browser-image-compression in the same page, on the same bytes.
  await page.addScriptTag({ content: librarySource });
  const libraryRun = (useWebWorker) =>
    page.evaluate(
      async ({ useWebWorker, libURL, runs }) => {
        const times = [];
        const sizes = [];
        for (let run = 0; run < runs; run++) {
          const file = new File([globalThis.__benchBytes], "bench.jpg", { type: "image/jpeg", lastModified: Date.now() });
          const started = performance.now();
          const output = await imageCompression(file, {
            maxWidthOrHeight: 1600,
            initialQuality: 0.8,
            fileType: "image/jpeg",
            useWebWorker,
            libURL,
          });
          times.push(performance.now() - started);
          sizes.push(output.size);
        }
        return { times, sizes };
      },
      { useWebWorker, libURL: libraryUrl, runs: RUNS },
    );
  const mainThread = await libraryRun(false);
  const requestsBefore = workerLibraryRequests;
  const worker = await libraryRun(true);
  const workerRan = workerLibraryRequests > requestsBefore;

  const appMedian = median(appTimes);
  const mainMedian = median(mainThread.times);
  const workerMedian = median(worker.times);
  console.log(`source: 4000×3000 JPEG, quality 0.92, ${(source.length / 1024 / 1024).toFixed(2)} MB; ${RUNS} runs each; Chromium ${browser.version()}`);
  console.log(`app pipeline, file → stored (decode shrunk + upright, watermark, JPEG 0.8, thumbnail, SHA-256, IndexedDB): median ${ms(appMedian)} (runs: ${appTimes.map((t) => t.toFixed(0)).join(", ")})`);
  console.log(`  stored per photo: median ${kb(median(stored.map((s) => s.bytes)))} at ${stored[0].width}×${stored[0].height}, thumbnail ${kb(median(stored.map((s) => s.thumbnail)))}`);
  console.log(`browser-image-compression ${libraryVersion}, main thread (useWebWorker: false): median ${ms(mainMedian)}, output ${kb(median(mainThread.sizes))}`);
  console.log(`browser-image-compression ${libraryVersion}, web worker (useWebWorker: true${workerRan ? "" : ", WORKER DID NOT LOAD: fell back to the main thread"}): median ${ms(workerMedian)}, output ${kb(median(worker.sizes))}`);
  console.log(`ratio app / library (median): ${(appMedian / mainMedian).toFixed(2)} vs main thread, ${(appMedian / workerMedian).toFixed(2)} vs web worker`);
} finally {
  await browser.close();
  await server.cleanup();
  libraryServer.close();
}
