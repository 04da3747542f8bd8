// Every section of the household record at 360×740 in zh-CN and English: nothing is wider than the phone, a new
// member starts with nothing chosen and says what is missing, and each section is photographed for review.
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { field, gotoAndUnlock, messages, openHousehold, openReview, reloadAndUnlock, storeLocale } from "./phone.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

const SECTIONS = ["basic", "members", "causes", "checklist", "income", "plan", "visit"];

async function setLocale(page, locale) {
  await storeLocale(page, locale);
  await reloadAndUnlock(page);
  await page.getByTestId("save-state").waitFor();
}

for (const locale of ["zh-CN", "en"]) {
  test(`every section fits a 360 px phone (${locale})`, async ({ page }, testInfo) => {
    await openHousehold(page, server.url, "林国栋");
    const household = page.url();
    await setLocale(page, locale);
    for (const name of SECTIONS) {
      // Each section alone, as the overview opens it for a correction.
      await gotoAndUnlock(page, `${household}/edit/${name}`);
      await page.getByTestId("section").waitFor();
      // Open the first item of a list (a member, a measure) so its fields are measured too.
      const firstItem = page.locator(".item-summary").first();
      if (await firstItem.count()) await firstItem.click();
      if (name === "plan" && !(await page.locator(".item-summary").count())) {
        await page.locator(".button-add").first().click();
      }
      const overflow = await page.evaluate(() =>
        [...document.querySelectorAll("main *")]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
          // A row that scrolls sideways on purpose (the tab bar) may hold more than fits.
          .filter((element) => {
            for (let parent = element.parentElement; parent; parent = parent.parentElement) {
              if (["auto", "scroll"].includes(getComputedStyle(parent).overflowX)) return false;
            }
            return true;
          })
          .map((element) => `${element.tagName}.${element.className}: ${element.textContent.slice(0, 40)}`)
          .slice(0, 5),
      );
      expect(overflow, `${name} is wider than the phone`).toEqual([]);
      await page.screenshot({ path: testInfo.outputPath(`section-${name}-${locale}.png`), fullPage: true });
    }
  });
}

test("a new member starts with nothing chosen and the form says what is missing", async ({ page }) => {
  await openHousehold(page, server.url, "林国栋");
  await gotoAndUnlock(page, `${page.url()}/edit/members`);
  await page.getByTestId("section").waitFor();
  // The members come with the draft, which can show a moment after the section: count them once they are there.
  await page.locator(".item-summary").first().waitFor();
  const before = await page.locator(".item-summary").count();
  await page.getByRole("button", { name: "添加成员" }).click();
  const base = `members[${before}]`;
  await expect(field(page, `${base}.sex`).locator("option:checked")).toHaveText("请选择");
  await expect(field(page, `${base}.relation`).locator("option:checked")).toHaveText("请选择");
  await expect(field(page, `${base}.birth_date`)).toHaveValue("");
  await expect(messages(page, `${base}.sex`)).toContainText("请选择性别");
  await expect(messages(page, `${base}.relation`)).toContainText("请选择与户主关系");

  // A full-width number typed with a Chinese keyboard is converted, and what it tells fills sex and birth date.
  await field(page, `${base}.id_number`).fill("１１０１０５１９４９１２３１００２ｘ");
  await expect(field(page, `${base}.id_number`)).toHaveValue("11010519491231002X");
  await expect(field(page, `${base}.sex`).locator("option:checked")).toHaveText("女");
  await expect(field(page, `${base}.birth_date`)).toHaveValue("1949-12-31");
  await expect(messages(page, `${base}.sex`)).toBeEmpty();
  // The relation is still not chosen: the visit cannot be submitted.
  await openReview(page);
  await expect(page.getByTestId("submit")).toBeDisabled();
});
