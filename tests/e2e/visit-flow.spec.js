// The household overview and the guided visit at 360×740, in Chinese and in English: the overview says what is
// missing; 开始走访 walks through every step with the action bar always on screen; the review lists what must be
// fixed, a link goes back to the field, it is fixed there, and 提交 puts the visit into the outbox under its UUID.
// Screenshots of the overview and every step go to tests/test-results/screens/ to be looked at.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { field, logIn, reloadAndUnlock } from "./phone.js";
import { withVault } from "./vault.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

const SCREENS = join(import.meta.dirname, "..", "test-results", "screens");
mkdirSync(SCREENS, { recursive: true });

const WORDS = {
  "zh-CN": {
    incomeMissing: `收入核算 ${new Date().getFullYear() - 1} 未填`,
    addKind: "添加收入或支出项目",
    migrantWork: "务工收入",
    addLine: "＋ 添加项目",
    addMeasure: "＋ 添加措施",
    purpose: "收入核算",
    confirmedBy: "确认人姓名",
    confirm: "确认",
    queued: "已提交，等待联网发送",
    steps: ["有何变化", "两不愁三保障", "照片", "措施进展", "走访记录与确认", "核对提交"],
    purposeError: "走访目的",
  },
  en: {
    incomeMissing: `Income accounting ${new Date().getFullYear() - 1} not filled in`,
    addKind: "Add an income or cost item",
    migrantWork: "Migrant and local work",
    addLine: "+ Add the item",
    addMeasure: "+ Add a measure",
    purpose: "Income accounting",
    confirmedBy: "Confirmed by",
    confirm: "Confirm",
    queued: "Submitted; waiting for a connection to send",
    steps: ["What changed", "Basic needs check", "Photos", "Plan progress", "Visit record and confirmation", "Check and submit"],
    purposeError: "purpose",
  },
};

/** The action bar is on screen, whole, and not under the main navigation. */
async function expectBarOnScreen(page) {
  const viewport = page.viewportSize();
  const bar = await page.getByTestId("action-bar").boundingBox();
  expect(bar, "the action bar is rendered").not.toBeNull();
  expect(bar.y).toBeGreaterThanOrEqual(0);
  expect(bar.y + bar.height).toBeLessThanOrEqual(viewport.height + 0.5);
  const nav = await page.locator(".bottom-nav").boundingBox();
  if (nav) expect(bar.y + bar.height).toBeLessThanOrEqual(nav.y + 0.5);
  for (const button of await page.getByTestId("action-bar").locator("a, button").all()) {
    const box = await button.boundingBox();
    expect(box.height, "a thumb-sized button").toBeGreaterThanOrEqual(44);
  }
}

/** Nothing sticks out sideways at 360 px. */
async function expectNoSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

for (const locale of ["zh-CN", "en"]) {
  const words = WORDS[locale];
  test(`overview, every step of the visit, a fix from the review and 提交 (${locale})`, async ({ page }) => {
    await logIn(page, server.url);
    if (locale === "en") {
      await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("navigation").getByRole("link", { name: "Households" }).click();
    }
    await page.getByTestId("household-row").filter({ hasText: "郑光辉" }).click();
    await page.getByTestId("save-state").waitFor();

    // The overview: colour with reasons, what is missing, the big actions, every section.
    await expect(page.getByTestId("overview-risk")).toBeVisible();
    await expect(page.getByTestId("overview-todo")).toContainText(words.incomeMissing);
    await expect(page.getByTestId("start-visit")).toBeInViewport();
    await expect(page.getByTestId("section-link")).toHaveCount(7);
    await expect(page.getByTestId("action-bar")).toHaveCount(0);
    await expect(page.locator("#summary")).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(SCREENS, `overview-${locale}.png`), fullPage: true });

    // 更新收入 opens the income section alone; what is typed there is the same draft the visit submits.
    await page.getByTestId("update-income").click();
    await page.getByLabel(words.addKind).selectOption({ label: words.migrantWork });
    await page.getByRole("button", { name: words.addLine }).click();
    await field(page, "income.lines[0].amount").fill("36000");
    await expect(page.locator("#summary")).toHaveCount(0);
    await page.getByTestId("section-done").click();
    await expect(page.getByTestId("overview-todo")).not.toContainText(words.incomeMissing);

    await page.getByTestId("start-visit").click();
    for (const [index, title] of words.steps.entries()) {
      await expect(page.getByTestId("step-title")).toContainText(title);
      await expect(page).toHaveURL(/\/visit\/[a-z]+$/);
      await expectBarOnScreen(page);
      await expectNoSidewaysScroll(page);
      const slug = new URL(page.url()).pathname.split("/").pop();
      if (slug === "changes") {
        // Every part starts collapsed; an unopened part is not even rendered.
        for (const part of ["part-members", "part-housing", "part-events"]) {
          await expect(page.getByTestId(part)).not.toHaveAttribute("open", "");
        }
        await expect(page.locator('[id="members"]')).toHaveCount(0);
      }
      if (slug === "plan") {
        await page.getByRole("button", { name: words.addMeasure }).click();
        await field(page, "plan.measures[0].content").fill("发展槟榔种植 3 亩");
        await field(page, "plan.measures[0].responsible_unit").fill("三门坡镇农业服务中心");
        // Dates are typed and shown year first in both languages (never the browser's month-first picker): a
        // month-first date is refused at the field, a year-first one with slashes is read and shown as YYYY-MM-DD.
        const deadline = field(page, "plan.measures[0].deadline");
        await expect(deadline).toHaveAttribute("type", "text");
        await deadline.fill("12/31/2026");
        await expect(deadline).toHaveAttribute("aria-invalid", "true");
        await expect(page.locator('[id="plan.measures[0].deadline-messages"]')).toContainText("2026-03-08");
        await deadline.fill("2026/12/31");
        await deadline.blur();
        await expect(deadline).toHaveValue("2026-12-31");
        await expect(deadline).toHaveAttribute("aria-invalid", "false");
        await expectBarOnScreen(page);
      }
      if (slug === "confirm") {
        // The purpose is left out on purpose: the review must send the helper back to it.
        const notes = field(page, "visit.notes");
        await notes.fill("核算 2025 年收入，户主确认。");
        // With the on-screen keyboard open the page shrinks (interactive-widget=resizes-content): the bar stays.
        await notes.focus();
        await page.setViewportSize({ width: 360, height: 420 });
        await expectBarOnScreen(page);
        await page.setViewportSize({ width: 360, height: 740 });
        await page.getByLabel(words.confirmedBy).fill("郑光辉");
        await page.getByRole("button", { name: words.confirm, exact: true }).click();
      }
      if (index < words.steps.length - 1) {
        // The full check list is only on the review step.
        await expect(page.locator("#summary")).toHaveCount(0);
        await page.screenshot({ path: join(SCREENS, `step-${index + 1}-${slug}-${locale}.png`) });
        await page.getByTestId("step-next").click();
      }
    }

    // Review: the missing purpose is listed; its link opens the step with the field; fixed there.
    const summary = page.locator("#summary");
    await expect(summary.locator(".finding-error")).toHaveCount(1);
    await expect(summary.locator(".finding-error")).toContainText(words.purposeError);
    await expect(page.getByTestId("submit")).toBeDisabled();
    await page.screenshot({ path: join(SCREENS, `step-6-review-${locale}.png`) });
    await summary.locator('.finding-error a[href="#visit.purposes"]').click();
    await expect(page).toHaveURL(/\/visit\/confirm$/);
    await expect(page.getByRole("button", { name: words.purpose, exact: true })).toBeInViewport();
    await page.getByRole("button", { name: words.purpose, exact: true }).click();
    await page.getByTestId("step-next").click();

    await expect(summary.locator(".finding-error")).toHaveCount(0);
    for (const reason of await summary.locator('[id^="reason-"]').all()) {
      await reason.fill("已入户核实");
    }
    await expectBarOnScreen(page);
    await page.getByTestId("submit").click();
    await expect(page.getByTestId("queued")).toContainText(words.queued);
    await page.screenshot({ path: join(SCREENS, `step-6-submitted-${locale}.png`) });

    // The step is in the address: a reload opens the same step with the same draft.
    await reloadAndUnlock(page);
    await expect(page.getByTestId("step-title")).toContainText(words.steps[5]);

    // The outbox holds one item with its own UUID and the visit as typed.
    const items = await withVault(page, async (vault) =>
      (await vault.entries("outbox")).map(([, text]) => JSON.parse(text)),
    );
    expect(items).toHaveLength(1);
    expect(items[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(items[0].snapshot.visit.purposes).toEqual(["income_accounting"]);
    expect(items[0].snapshot.visit.notes).toBe("核算 2025 年收入，户主确认。");
    expect(items[0].snapshot.visit.household_confirmation.confirmed_by).toBe("郑光辉");
    expect(items[0].snapshot.plan.measures.map((measure) => measure.content)).toEqual(["发展槟榔种植 3 亩"]);
    await page.getByTestId("to-overview").click();
    await expect(page.getByTestId("overview-last-visit")).toContainText(locale === "en" ? "submitted on this phone" : "在本机提交");
    await page.getByRole("navigation").getByRole("link", { name: locale === "en" ? "Sync" : "同步" }).click();
    await expect(page.getByTestId("outbox-item")).toHaveCount(1);
    await expect(page.getByTestId("outbox-item")).toContainText("郑光辉");
  });
}
