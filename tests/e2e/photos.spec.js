// Photo evidence in the visit form, as a helper uses it: several files in one pick (a 12-megapixel photo, one
// rotated by EXIF, a tiny one, a damaged one, a text file, a HEIC), each stored shrunk, upright, watermarked and
// hashed; bad files named with the reason; photos kept across a reload; delete with confirmation, refused while
// the visit waits in the outbox. Photos are stored as bytes, so a browser that refuses Blobs in IndexedDB (WebKit's
// private browsing) still keeps them, and a storage failure reads as plain words with what to do. Fixtures are made
// at run time by the browser's own JPEG encoder.
import { createHash } from "node:crypto";
import { test, expect } from "@playwright/test";
import { startServer, DEMO_HELPER, DEMO_PASSWORD } from "./server.js";
import { openReview, openSection, reloadAndUnlock, setPin } from "./phone.js";
import { withVault } from "./vault.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

const LIGHT = [232, 220, 200];

async function openVisit(page, headName = "王德福") {
  await page.goto(server.url);
  await page.getByLabel("手机号").fill(DEMO_HELPER.phone);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await setPin(page);
  await page.getByTestId("household-row").filter({ hasText: headName }).click();
  await expect(page.getByTestId("save-state")).toBeVisible();
  await openSection(page, "走访记录");
  await expect(page.getByTestId("photos")).toBeVisible();
}

/** JPEG bytes (as a Buffer) of a solid colour, encoded by the page's OffscreenCanvas. */
async function solidJpeg(page, width, height, [r, g, b]) {
  const base64 = await page.evaluate(
    async ({ width, height, colour }) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext("2d");
      context.fillStyle = colour;
      context.fillRect(0, 0, width, height);
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.92 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    },
    { width, height, colour: `rgb(${r}, ${g}, ${b})` },
  );
  return Buffer.from(base64, "base64");
}

/** The JPEG with an APP1 EXIF segment (big-endian TIFF, one IFD0 entry: Orientation = 6) right after SOI. */
function withOrientation6(jpeg) {
  const exif = Buffer.from([
    0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // APP1, length 34, "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation, SHORT, 1, 6
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  return Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]);
}

/** Everything the photos stores hold, with the SHA-256 of each stored photo computed here and some pixels. The
 * app stores bytes (an ArrayBuffer); the app of schema version 3 stored Blobs: `shape` says which. */
async function storedPhotos(page) {
  // Records and bytes are sealed with the user's data key: vault.js opens them with the PIN.
  return withVault(page, async (vault) => {
    const blobs = new Map(await vault.raw("photo_blobs"));
    const shapeOf = (value) => (value instanceof ArrayBuffer ? "ArrayBuffer" : value instanceof Blob ? "Blob" : typeof value);
    const photos = [];
    for (const [id, text] of await vault.entries("photos")) {
      const record = JSON.parse(text);
      const stored = blobs.get(`${id}/photo`);
      const blob = new Blob([await vault.blob(`${id}/photo`)], { type: "image/jpeg" });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
        .map((byte) => byte.toString(16).padStart(2, "0"))
        .join("");
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d");
      context.drawImage(bitmap, 0, 0);
      const pixel = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
      photos.push({
        id,
        record,
        digest,
        size: blob.size,
        shape: shapeOf(stored),
        thumbnailShape: shapeOf(blobs.get(`${id}/thumbnail`)),
        magic: Array.from(bytes.subarray(0, 3)),
        width: bitmap.width,
        height: bitmap.height,
        bottomLeft: pixel(3, bitmap.height - 3),
        topRight: pixel(bitmap.width - 3, 3),
        thumbnailSize: (await vault.blob(`${id}/thumbnail`))?.length ?? 0,
      });
    }
    return photos;
  });
}

const close = (a, b, tolerance) => a.every((channel, i) => Math.abs(channel - b[i]) <= tolerance);

test("photos are shrunk, turned upright, watermarked, hashed and kept; bad files are named", async ({ page }) => {
  await openVisit(page);
  const large = await solidJpeg(page, 4000, 3000, LIGHT);
  const rotated = withOrientation6(await solidJpeg(page, 600, 400, [90, 140, 200]));
  const tiny = await solidJpeg(page, 20, 10, [200, 60, 60]);
  const broken = (await solidJpeg(page, 800, 600, [30, 120, 60])).subarray(0, 900);
  const heic = Buffer.concat([Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "binary"), Buffer.alloc(400)]);

  await page.getByTestId("photo-gallery").setInputFiles([
    { name: "large.jpg", mimeType: "image/jpeg", buffer: large },
    { name: "rotated.jpg", mimeType: "image/jpeg", buffer: rotated },
    { name: "broken.jpg", mimeType: "image/jpeg", buffer: broken },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("走访记录：家里新盖了厨房") },
    { name: "IMG_0042.heic", mimeType: "image/heic", buffer: heic },
    { name: "tiny.jpg", mimeType: "image/jpeg", buffer: tiny },
  ]);
  await expect(page.getByTestId("photo")).toHaveCount(3, { timeout: 30_000 });
  await expect(page.getByTestId("photo-status")).toHaveCount(0);
  const problems = page.getByTestId("photo-problem");
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toHaveText("无法读取照片 broken.jpg：文件已损坏或不完整");
  await expect(problems.nth(1)).toHaveText("无法读取照片 notes.txt：不是图片文件");
  await expect(problems.nth(2)).toContainText("无法读取照片 IMG_0042.heic：浏览器不支持此格式（HEIC）");
  await expect(page.getByTestId("photo-meta").first()).toContainText("1600×1200");
  await expect(page.getByTestId("photo-meta").first()).toContainText("无定位");

  const stored = await storedPhotos(page);
  expect(stored).toHaveLength(3);
  const byName = Object.fromEntries(stored.map((photo) => [photo.record.file_name, photo]));
  for (const photo of stored) {
    expect(photo.shape).toBe("ArrayBuffer");
    expect(photo.thumbnailShape).toBe("ArrayBuffer");
    expect(photo.magic).toEqual([0xff, 0xd8, 0xff]);
    expect(Math.max(photo.width, photo.height)).toBeLessThanOrEqual(1600);
    expect(photo.record.evidence.sha256).toBe(photo.digest);
    expect(photo.record.evidence.bytes).toBe(photo.size);
    expect([photo.record.evidence.width, photo.record.evidence.height]).toEqual([photo.width, photo.height]);
    expect(photo.record.evidence.kind).toBe("site_photo");
    expect(photo.record.evidence.gps).toBeNull();
    expect(Date.parse(photo.record.evidence.taken_at)).not.toBeNaN();
    expect(photo.record.file_modified_at).not.toBeNull();
    expect(photo.record.attached_to.kind).toBe("visit");
    expect(photo.record.attached_to.visit_id).toBe(photo.record.evidence.visit_id);
    expect(photo.record.watermark).toContain("帮扶人 王海燕");
    expect(photo.record.watermark.at(-1)).toBe("无定位");
    expect(photo.thumbnailSize).toBeGreaterThan(0);
  }
  expect([byName["large.jpg"].width, byName["large.jpg"].height]).toEqual([1600, 1200]);
  expect([byName["large.jpg"].record.source_width, byName["large.jpg"].record.source_height]).toEqual([4000, 3000]);
  // Orientation 6 turns the 600×400 landscape into a 400×600 portrait.
  expect([byName["rotated.jpg"].width, byName["rotated.jpg"].height]).toEqual([400, 600]);
  expect([byName["tiny.jpg"].width, byName["tiny.jpg"].height]).toEqual([20, 10]);
  // The watermark's dark band sits in the bottom-left corner; the rest of the solid picture is untouched.
  const big = byName["large.jpg"];
  expect(big.bottomLeft.every((channel) => channel < 140), `bottom-left ${big.bottomLeft}`).toBe(true);
  expect(close(big.topRight, LIGHT, 12), `top-right ${big.topRight}`).toBe(true);

  // A caption, then a reload: the photos, their order and the caption are still there.
  await page.getByTestId("photo-caption").first().fill("新修的厨房");
  await expect(page.getByTestId("save-state")).toContainText("已保存");
  await expect
    .poll(async () => (await storedPhotos(page)).find((photo) => photo.record.file_name === "large.jpg").record.evidence.caption)
    .toBe("新修的厨房");
  await reloadAndUnlock(page);
  await openSection(page, "走访记录");
  await expect(page.getByTestId("photo")).toHaveCount(3);
  await expect(page.getByTestId("photo-caption").first()).toHaveValue("新修的厨房");
  await expect(page.locator(".photo-thumb").first()).toHaveJSProperty("complete", true);
  expect(await page.locator(".photo-thumb").first().evaluate((img) => img.naturalWidth)).toBe(160);
  const draftEvidence = await withVault(page, async (vault) =>
    (await vault.entries("drafts")).map(([, json]) => JSON.parse(json).draft.visit.evidence).flat(),
  );
  expect(draftEvidence.sort()).toEqual(stored.map((photo) => photo.id).sort());

  await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
  await expect(page.getByTestId("storage-photos")).toContainText("照片 3 张");
});

test.describe("with location allowed", () => {
  test.use({
    permissions: ["geolocation"],
    geolocation: { latitude: 19.98765, longitude: 110.3312, accuracy: 12 },
  });

  test("the position is in the watermark and the metadata", async ({ page }) => {
    await openVisit(page);
    const photo = await solidJpeg(page, 1200, 900, LIGHT);
    await page.getByTestId("photo-camera").setInputFiles([{ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: photo }]);
    await expect(page.getByTestId("photo")).toHaveCount(1, { timeout: 20_000 });
    await expect(page.getByTestId("photo-meta")).toContainText("19.98765, 110.33120 ±12 m");
    const [stored] = await storedPhotos(page);
    expect(stored.record.evidence.gps).toMatchObject({ latitude: 19.98765, longitude: 110.3312, accuracy_m: 12 });
    expect(stored.record.watermark.at(-1)).toBe("19.98765, 110.33120 ±12 m");
    expect(stored.record.evidence.sha256).toBe(stored.digest);
  });
});

test("deleting asks first; a photo of a queued visit cannot be deleted; the upload reaches the server intact", async ({ page, context }) => {
  await openVisit(page, "郑光辉");
  const first = await solidJpeg(page, 800, 600, LIGHT);
  const second = await solidJpeg(page, 800, 600, [90, 140, 200]);
  await page.getByTestId("photo-gallery").setInputFiles([
    { name: "first.jpg", mimeType: "image/jpeg", buffer: first },
    { name: "second.jpg", mimeType: "image/jpeg", buffer: second },
  ]);
  await expect(page.getByTestId("photo")).toHaveCount(2, { timeout: 20_000 });

  // Cancel keeps the photo; confirming deletes it, bytes and all.
  const firstRow = page.getByTestId("photo").first();
  await firstRow.getByTestId("photo-delete").click();
  await expect(firstRow.getByRole("alertdialog")).toContainText("确定删除这张照片吗？");
  await firstRow.getByRole("button", { name: "取消" }).click();
  await expect(page.getByTestId("photo")).toHaveCount(2);
  await firstRow.getByTestId("photo-delete").click();
  await firstRow.getByTestId("photo-delete-yes").click();
  await expect(page.getByTestId("photo")).toHaveCount(1);
  const left = await storedPhotos(page);
  expect(left.map((photo) => photo.record.file_name)).toEqual(["second.jpg"]);

  // Submit the visit (photos are never required; this household's other findings are warnings with reasons).
  // The household is marked 已脱贫: its year's income must be above the standard before anything is submitted.
  await page.getByRole("button", { name: "收入核算" }).click();
  await page.locator('[id="visit.notes"]').fill("核实收入，拍了新厨房。");
  await openSection(page, "收入核算");
  await page.getByLabel("添加收入或支出项目").selectOption({ label: "务工收入" });
  await page.getByRole("button", { name: "＋ 添加项目" }).click();
  await page.locator('[id="income.lines[0].amount"]').fill("36000");
  await openReview(page);
  for (const reason of await page.locator('#summary [id^="reason-"]').all()) {
    await reason.fill("已入户核实");
  }
  await expect(page.getByTestId("submit")).toBeEnabled();
  // No signal in the yard: the visit waits in the outbox.
  await context.setOffline(true);
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("queued")).toBeVisible();

  await openSection(page, "走访记录");
  await page.getByTestId("photo").first().getByTestId("photo-delete").click();
  await expect(page.getByTestId("photo-delete-refused")).toContainText("正在等待发送的记录，发送成功后才能删除");
  await expect(page.getByTestId("photo-delete-yes")).toHaveCount(0);
  await expect(page.getByTestId("photo")).toHaveCount(1);
  const [kept] = await storedPhotos(page);

  // Back online: the photo goes first, then the record; the server holds the very bytes the phone hashed.
  await context.setOffline(false);
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });
  const login = await fetch(`${server.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone: DEMO_HELPER.phone, password: DEMO_PASSWORD }),
  });
  const { token } = await login.json();
  const response = await fetch(`${server.url}/api/photos/${kept.digest}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const onServer = Buffer.from(await response.arrayBuffer());
  expect(onServer.length).toBe(kept.size);
  expect(createHash("sha256").update(onServer).digest("hex")).toBe(kept.digest);
  expect(kept.record.evidence.sha256).toBe(kept.digest);
});

test("a checklist item takes its own evidence photos, kept in its entry across a reload", async ({ page }) => {
  await openVisit(page, "王德福");
  await openSection(page, "三保障");
  const food = page.getByTestId("checklist-evidence-food");
  await food.locator("summary").click();
  await expect(food.locator("summary")).toContainText("证明照片（0 张）");
  const jpeg = await solidJpeg(page, 1200, 900, LIGHT);
  await food.getByTestId("photo-gallery").setInputFiles([{ name: "kitchen.jpg", mimeType: "image/jpeg", buffer: jpeg }]);
  await expect(food.getByTestId("photo")).toHaveCount(1, { timeout: 20_000 });
  await expect(food.locator("summary")).toContainText("证明照片（1 张）");
  const [stored] = await storedPhotos(page);
  expect(stored.record.attached_to).toEqual({ kind: "checklist_item", item: "food" });
  await expect(page.getByTestId("save-state")).toContainText("已保存");

  await reloadAndUnlock(page);
  await openSection(page, "三保障");
  await expect(page.getByTestId("checklist-evidence-food").locator("summary")).toContainText("证明照片（1 张）");
  await expect(page.getByTestId("checklist-evidence-clothing").locator("summary")).toContainText("证明照片（0 张）");
  // The visit's own photo list does not show it.
  await openSection(page, "走访记录");
  await expect(page.getByTestId("photos").getByTestId("photo")).toHaveCount(0);
});

test("a plan measure takes progress photos, kept with the measure", async ({ page }) => {
  await openVisit(page, "郑光辉");
  await openSection(page, "一户一策");
  await page.getByRole("button", { name: "＋ 添加措施" }).click();
  await page.locator('[id="plan.measures[0].content"]').fill("发展槟榔种植 3 亩");
  const evidence = page.getByTestId("measure-evidence");
  await evidence.locator("summary").click();
  const jpeg = await solidJpeg(page, 1000, 750, LIGHT);
  await evidence.getByTestId("photo-gallery").setInputFiles([{ name: "seedlings.jpg", mimeType: "image/jpeg", buffer: jpeg }]);
  await expect(evidence.getByTestId("photo")).toHaveCount(1, { timeout: 20_000 });
  await expect(evidence.locator("summary")).toContainText("进展照片（1 张）");
  const [stored] = await storedPhotos(page);
  expect(stored.record.attached_to.kind).toBe("plan_measure");
  await expect(page.getByTestId("save-state")).toContainText("已保存");

  await reloadAndUnlock(page);
  await openSection(page, "一户一策");
  await page.locator(".item-summary").first().click();
  await expect(page.getByTestId("measure-evidence").locator("summary")).toContainText("进展照片（1 张）");
});

/** From the next page load on, IndexedDB's put refuses values as `globalThis.__refusePut` says: `{ values: "blobs" }`
 * refuses Blob values the way WebKit's ephemeral session (Safari's private browsing) does, `{ values: "bytes" }`
 * refuses every value that is not text (so every photo), each with the DOMException `name`; null refuses nothing. */
async function refusePuts(page, refusal) {
  await page.addInitScript((initial) => {
    globalThis.__refusePut = initial;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, ...rest) {
      const refusal = globalThis.__refusePut;
      const refused = refusal && (refusal.values === "blobs" ? value instanceof Blob : typeof value !== "string");
      if (refused) throw new DOMException(refusal.message, refusal.name);
      return put.call(this, value, ...rest);
    };
  }, refusal);
}

const WEBKIT_PRIVATE = {
  values: "blobs",
  name: "UnknownError",
  message: "Error preparing Blob/File data to be stored in object store",
};

test("a browser that refuses Blobs in IndexedDB (WebKit's private browsing) still keeps the photo", async ({ page }) => {
  await refusePuts(page, WEBKIT_PRIVATE);
  await openVisit(page);
  // The stand-in refuses as WebKit does: a Blob put throws its UnknownError.
  const refusal = await page.evaluate(async () => {
    const db = await new Promise((resolve) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
    });
    try {
      db.transaction("photo_blobs", "readwrite").objectStore("photo_blobs").put(new Blob(["x"]), "probe");
      return "stored";
    } catch (error) {
      return `${error.name}: ${error.message}`;
    } finally {
      db.close();
    }
  });
  expect(refusal).toBe("UnknownError: Error preparing Blob/File data to be stored in object store");

  const jpeg = await solidJpeg(page, 2400, 1800, [90, 140, 200]);
  await page.getByTestId("photo-gallery").setInputFiles([{ name: "yard.jpg", mimeType: "image/jpeg", buffer: jpeg }]);
  await expect(page.getByTestId("photo")).toHaveCount(1, { timeout: 20_000 });
  await expect(page.getByTestId("photo-problem")).toHaveCount(0);
  await expect(page.getByTestId("photo-meta")).toContainText("1600×1200");
  await expect(page.locator(".photo-thumb")).toHaveJSProperty("naturalWidth", 160);
  const [stored] = await storedPhotos(page);
  expect([stored.shape, stored.thumbnailShape]).toEqual(["ArrayBuffer", "ArrayBuffer"]);
  expect(stored.record.evidence.sha256).toBe(stored.digest);
  await expect(page.getByTestId("save-state")).toContainText("已保存");

  await reloadAndUnlock(page);
  await openSection(page, "走访记录");
  await expect(page.getByTestId("photo-meta")).toContainText("1600×1200");
  await expect(page.locator(".photo-thumb")).toHaveJSProperty("naturalWidth", 160);
});

test("a photo the phone cannot store is reported in plain words with what to do, in Chinese and in English", async ({ page }, testInfo) => {
  await refusePuts(page, { values: "bytes", name: "UnknownError", message: "Internal error storing the value" });
  const warnings = [];
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });
  await openVisit(page);
  const jpeg = await solidJpeg(page, 1200, 900, LIGHT);
  const pick = () =>
    page.getByTestId("photo-gallery").setInputFiles([{ name: "yard.jpg", mimeType: "image/jpeg", buffer: jpeg }]);
  const problem = page.getByTestId("photo-problem");

  await pick();
  await expect(problem).toHaveText("照片 yard.jpg 未能保存在手机上。请重试；如仍失败，请换用普通（非无痕）浏览模式。", { timeout: 20_000 });
  await expect(page.getByTestId("photos")).not.toContainText("Error");
  await expect(page.getByTestId("photo")).toHaveCount(0);
  // The browser's own words go to the console, for whoever debugs the phone.
  expect(warnings.some((text) => text.includes("UnknownError: Internal error storing the value")), warnings.join("\n")).toBe(true);
  await problem.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("photo-storage-error-zh.png") });

  await page.evaluate(() => {
    globalThis.__refusePut = { values: "bytes", name: "QuotaExceededError", message: "The quota has been exceeded." };
  });
  await pick();
  await expect(problem).toHaveText("照片 yard.jpg 未能保存在手机上。手机存储空间不足，请删除不需要的照片或清理手机后重试。", { timeout: 20_000 });

  await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Households" }).click();
  await page.getByTestId("household-row").filter({ hasText: "王德福" }).click();
  await openSection(page, "Visit");
  await pick();
  await expect(problem).toHaveText(
    "Photo yard.jpg was not saved on the phone. The phone's storage is full: delete photos you do not need or free up space on the phone, then try again.",
    { timeout: 20_000 },
  );
  await page.evaluate(() => {
    globalThis.__refusePut = { values: "bytes", name: "UnknownError", message: "Internal error storing the value" };
  });
  await pick();
  await expect(problem).toHaveText(
    "Photo yard.jpg was not saved on the phone. Try again; if it still fails, switch to normal (not private) browsing.",
    { timeout: 20_000 },
  );
  await problem.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("photo-storage-error-en.png") });

  // Once the phone takes it again, the same photo is kept.
  await page.evaluate(() => {
    globalThis.__refusePut = null;
  });
  await pick();
  await expect(page.getByTestId("photo")).toHaveCount(1, { timeout: 20_000 });
  await expect(problem).toHaveCount(0);
});
