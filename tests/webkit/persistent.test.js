// What a phone keeps when its browser closes, in WebKit: persistent-browser.py is the same WebKitGTK as
// MiniBrowser but keeps website data (IndexedDB, Cache Storage, service workers) in a profile directory, so a
// test can close the browser and open the same profile again.
import assert from "node:assert/strict";
import { webkitTest } from "./lane.js";
import {
  addPhoto,
  byField,
  openSection,
  byTestId,
  click,
  logIn,
  openHousehold,
  textContains,
  thumbnailWidth,
  type,
  unlock,
  visible,
  waitUntil,
} from "./phone.js";

webkitTest(
  "a photo and a typed note are still there after the browser is closed and opened again",
  async ({ driver, openBrowser, url }) => {
    await logIn(driver, url);
    await openHousehold(driver, "王德福");
    await openSection(driver, "走访记录");
    await addPhoto(driver);
    await textContains(driver, byTestId("photo-meta"), "1600×1200");
    // The thumbnail is an object URL of the stored blob: it shows only if the policy allows blob: images.
    assert.equal(await waitUntil(driver, "the thumbnail to load", () => thumbnailWidth(driver)), 160);
    await type(driver, byField("visit.notes"), "新修的厨房已拍照。");
    await textContains(driver, byTestId("save-state"), "已保存");
    await driver.quit();

    const again = await openBrowser();
    await again.get(url);
    // Still signed in: no login page, only the PIN, then the list.
    await unlock(again);
    await visible(again, byTestId("household-row"), 20_000);
    await openHousehold(again, "王德福");
    await openSection(again, "走访记录");
    const notes = await visible(again, byField("visit.notes"));
    assert.equal(await notes.getAttribute("value"), "新修的厨房已拍照。");
    await textContains(again, byTestId("photo-meta"), "1600×1200");
    assert.equal(await waitUntil(again, "the thumbnail to load after the restart", () => thumbnailWidth(again)), 160);
  },
  { persistent: true },
);
