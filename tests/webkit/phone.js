// What a helper does on the phone, in selenium-webdriver terms (it has no auto-waiting locators like
// Playwright's): find by test id, field path or visible text, wait until a condition holds, log in, open a
// household, add a photo. The same steps as tests/e2e/phone.js.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { By } from "selenium-webdriver";
import { DEMO_HELPER, DEMO_PASSWORD } from "../e2e/server.js";
import { DEMO_PIN } from "../e2e/vault.js";

export const byTestId = (id) => By.css(`[data-testid="${id}"]`);
/** A form field by its path (`visit.notes`), as the app sets its id. */
export const byField = (path) => By.css(`[id="${path}"]`);
const literal = (text) => (text.includes("'") ? `"${text}"` : `'${text}'`);
/** A button (not a tab) whose visible text is exactly `text`. */
export const byButton = (text) => By.xpath(`//button[not(@role='tab') and normalize-space()=${literal(text)}]`);
/** A section's link on the household overview, by the section's name. */
export const bySection = (text) =>
  By.xpath(`//a[@data-testid='section-link'][.//span[@class='section-name' and normalize-space()=${literal(text)}]]`);
export const byLink = (text) => By.xpath(`//a[contains(normalize-space(), ${literal(text)})]`);

/**
 * Polls `check` until it returns something truthy (and returns that); errors inside `check` (an element not
 * there yet, or replaced while read) count as "not yet". Fails with `description` and the last thing seen.
 */
export async function waitUntil(driver, description, check, timeout = 10_000) {
  let last = "nothing";
  try {
    return await driver.wait(async () => {
      try {
        const value = await check();
        last = JSON.stringify(value);
        return value;
      } catch (error) {
        last = `${error.name}: ${error.message.split("\n")[0]}`;
        return false;
      }
    }, timeout);
  } catch {
    throw new Error(`waited ${timeout} ms for ${description}; last seen: ${last}`);
  }
}

/** The element once it is displayed. */
export function visible(driver, locator, timeout = 10_000) {
  return waitUntil(
    driver,
    `${locator} to be visible`,
    async () => {
      const element = await driver.findElement(locator);
      return (await element.isDisplayed()) && element;
    },
    timeout,
  );
}

/** Clicks the element once it is displayed and enabled, retrying when the app re-renders it under us. */
export function click(driver, locator, timeout = 10_000) {
  return waitUntil(
    driver,
    `${locator} to be clickable`,
    async () => {
      const element = await driver.findElement(locator);
      if (!(await element.isDisplayed()) || !(await element.isEnabled())) return false;
      await element.click();
      return true;
    },
    timeout,
  );
}

/** The visible text of every element the locator finds. */
export async function texts(driver, locator) {
  const elements = await driver.findElements(locator);
  return Promise.all(elements.map((element) => element.getText()));
}

/** Waits until the element's text contains `expected`; returns the text. */
export function textContains(driver, locator, expected, timeout = 10_000) {
  return waitUntil(
    driver,
    `${locator} to contain "${expected}"`,
    async () => {
      const text = await driver.findElement(locator).getText();
      return text.includes(expected) && text;
    },
    timeout,
  );
}

/** Types into a field as a keyboard would (one key event per character). */
export async function type(driver, locator, text) {
  const element = await visible(driver, locator);
  await element.sendKeys(text);
}

export async function logIn(driver, url, phone = DEMO_HELPER.phone) {
  await driver.get(url);
  await type(driver, By.css('input[name="phone"]'), phone);
  await type(driver, By.css('input[name="password"]'), DEMO_PASSWORD);
  await click(driver, By.css('button[type="submit"]'));
  await setPin(driver);
  await visible(driver, byTestId("household-row"), 20_000);
}

/** After the first login in a browser: sets the app PIN (the same one as the Playwright tests). */
export async function setPin(driver, pin = DEMO_PIN) {
  await visible(driver, byTestId("set-pin"), 20_000);
  await type(driver, By.css('input[name="pin"]'), pin);
  await type(driver, By.css('input[name="pin-again"]'), pin);
  await click(driver, By.css('button[type="submit"]'));
}

/** Types the PIN on the lock screen (after a reload or a restart). */
export async function unlock(driver, pin = DEMO_PIN) {
  await visible(driver, byTestId("enter-pin"), 20_000);
  await type(driver, By.css('input[name="pin"]'), pin);
  await click(driver, By.css('button[type="submit"]'));
}

/** Reloads the page and unlocks the app again. */
export async function reloadAndUnlock(driver, pin = DEMO_PIN) {
  await driver.navigate().refresh();
  await unlock(driver, pin);
}

/** Opens the household whose row shows `headName` and waits for its form. */
export async function openHousehold(driver, headName) {
  const row = By.xpath(`//*[@data-testid='household-row'][contains(., ${literal(headName)})]`);
  await click(driver, row);
  await visible(driver, byTestId("save-state"));
}

/** Opens one section of the open household alone, going back to its overview first when another screen is open. */
export async function openSection(driver, name) {
  await visible(driver, byTestId("save-state"));
  const links = await driver.findElements(bySection(name));
  if (links.length === 0 || !(await links[0].isDisplayed())) {
    const done = await driver.findElements(byTestId("section-done"));
    await click(driver, byTestId(done.length > 0 ? "section-done" : "to-overview"));
  }
  // The list is at the foot of the overview: bring the link above the fixed bottom navigation first.
  const link = await visible(driver, bySection(name));
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" });', link);
  await click(driver, bySection(name));
  await visible(driver, byTestId("section"));
}

/** From a section of the open household, opens the check list with 提交 (the visit's last step). */
export async function openReview(driver) {
  await click(driver, byTestId("to-review"));
  await visible(driver, By.css("#summary"));
}

/** Picks an option by its visible text in a `<select>`. */
export async function choose(driver, selectLocator, optionText) {
  const select = await visible(driver, selectLocator);
  await select.findElement(By.xpath(`.//option[normalize-space()=${literal(optionText)}]`)).click();
}

/**
 * Picks a 2400×1800 JPEG (made by WebKit's own encoder) from the "gallery" in the open visit form and waits
 * until the app has stored it; fails with the app's message when it refuses the photo.
 */
export async function addPhoto(driver) {
  const base64 = await driver.executeScript(`
    const canvas = document.createElement("canvas");
    canvas.width = 2400;
    canvas.height = 1800;
    const context = canvas.getContext("2d");
    context.fillStyle = "rgb(90, 140, 200)";
    context.fillRect(0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/jpeg", 0.9).split(",")[1];
  `);
  const before = (await driver.findElements(byTestId("photo"))).length;
  const dir = mkdtempSync(join(tmpdir(), "zoufang-webkit-"));
  try {
    const file = join(dir, "yard.jpg");
    writeFileSync(file, Buffer.from(base64, "base64"));
    // The input sits visually hidden inside its styled label; WebDriver may still send a file to it.
    await driver.findElement(byTestId("photo-gallery")).sendKeys(file);
    // The app first waits up to 6 s for a location fix, which no one answers under WebDriver.
    const outcome = await waitUntil(
      driver,
      "the photo to be stored or refused",
      async () => {
        if ((await driver.findElements(byTestId("photo"))).length > before) return "stored";
        return (await texts(driver, byTestId("photo-problem")))[0];
      },
      30_000,
    );
    if (outcome !== "stored") throw new Error(`the app did not store the photo: ${outcome}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The natural width of the first photo's thumbnail once it has loaded, else 0. */
export function thumbnailWidth(driver) {
  return driver.executeScript(`
    const img = document.querySelector(".photo-thumb");
    return img && img.complete ? img.naturalWidth : 0;
  `);
}
