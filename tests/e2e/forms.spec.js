// The household forms as a helper uses them: bad input is explained at the field and kept; a whole
// plan and income sheet are filled and submitted into the outbox.
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { field, messages, openHousehold as openHouseholdOf, openReview, openSection, reloadAndUnlock } from "./phone.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

const openHousehold = (page, headName) => openHouseholdOf(page, server.url, headName);

async function waitSaved(page) {
  await expect(page.getByTestId("save-state")).toContainText("已保存");
}

test("bad input gets a specific message at its field and is kept across a reload", async ({ page }) => {
  await openHousehold(page, "林国栋");

  await openSection(page, "家庭成员");
  await page.locator(".item-summary").first().click();
  const id = field(page, "members[0].id_number");
  await id.fill("460107197512050631");
  await expect(id).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "members[0].id_number")).toContainText("校验码错误：应为2，实际为1");

  const months = field(page, "members[0].work.months");
  await months.fill("13");
  await months.blur();
  await expect(months).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "members[0].work.months")).not.toBeEmpty();

  await openSection(page, "收入核算");
  await page.getByLabel("添加收入或支出项目").selectOption({ label: "务工收入" });
  await page.getByRole("button", { name: "＋ 添加项目" }).click();
  const amount = field(page, "income.lines[0].amount");
  await amount.fill("-5");
  await amount.blur();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "income.lines[0].amount")).not.toBeEmpty();
  await amount.fill("12a");
  await amount.blur();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "income.lines[0].amount")).not.toBeEmpty();

  // Errors block submitting, and the summary links to each field.
  await openReview(page);
  await expect(page.getByTestId("submit")).toBeDisabled();
  await expect(page.locator('#summary a[href="#income.lines[0].amount"]')).toBeVisible();
  await waitSaved(page);

  await reloadAndUnlock(page);
  await openSection(page, "收入核算");
  await expect(field(page, "income.lines[0].amount")).toHaveValue("12a");
  await openSection(page, "家庭成员");
  await page.locator(".item-summary").first().click();
  await expect(field(page, "members[0].work.months")).toHaveValue("13");
  await expect(field(page, "members[0].id_number")).toHaveValue("460107197512050631");
});

test("因学 as the main cause without a student is an error at the causes", async ({ page }) => {
  await openHousehold(page, "符亚妹");
  await openSection(page, "致贫原因");
  await field(page, "causes.main").selectOption({ label: "因学" });
  await expect(page.getByText("主要致贫原因为因学，但没有在校生").first()).toBeVisible();
  await openReview(page);
  await expect(page.getByTestId("submit")).toBeDisabled();
});

test("an empty required field is named in the summary and blocks submitting", async ({ page }) => {
  await openHousehold(page, "王德福");
  await openReview(page);
  await expect(page.locator("#summary")).toContainText("走访目的");
  await expect(page.getByTestId("submit")).toBeDisabled();
});

test("a helper fills the income sheet and the plan, writes the warnings' reasons and submits", async ({ page, context }) => {
  await openHousehold(page, "郑光辉");

  await openSection(page, "收入核算");
  for (const kind of ["务工收入", "种植业收入", "种植业支出"]) {
    await page.getByLabel("添加收入或支出项目").selectOption({ label: kind });
    await page.getByRole("button", { name: "＋ 添加项目" }).click();
  }
  await field(page, "income.lines[0].amount").fill("36000");
  await field(page, "income.lines[1].amount").fill("8,500.50");
  await field(page, "income.lines[2].amount").fill("1500");
  await field(page, "income.lines[2].amount").blur();
  // 36000 + 8500.50 gross, less 1500 of costs.
  await expect(page.locator("section[data-testid=section]")).toContainText("44500.50");
  await expect(page.locator("section[data-testid=section]")).toContainText("43000.50");

  await openSection(page, "一户一策");
  await page.getByRole("button", { name: "＋ 添加措施" }).click();
  await field(page, "plan.measures[0].content").fill("发展槟榔种植 3 亩");
  await field(page, "plan.measures[0].responsible_unit").fill("三门坡镇农业服务中心");
  await field(page, "plan.measures[0].deadline").fill("2026-12-31");
  await openSection(page, "走访记录");
  await page.getByRole("button", { name: "收入核算" }).click();
  await field(page, "visit.notes").fill("核算 2025 年收入，户主确认。");

  // Every remaining finding is a warning: give each a reason.
  await openReview(page);
  const errorsLeft = await page.locator("#summary .finding-error").count();
  expect(errorsLeft).toBe(0);
  for (const reason of await page.locator('#summary [id^="reason-"]').all()) {
    await reason.fill("已入户核实");
  }
  await expect(page.getByTestId("submit")).toBeEnabled();
  // Submitted in the yard, with no signal: it waits in the outbox (sending is covered by sync.spec.js).
  await context.setOffline(true);
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("queued")).toContainText("已提交，等待联网发送");

  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("outbox-item")).toHaveCount(1);
  await expect(page.getByTestId("outbox-item")).toContainText("郑光辉");
  await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
  await expect(page.getByTestId("household-row").filter({ hasText: "郑光辉" }).locator(".mark-queued")).toHaveText("待发送");
});
