// The household editors for the bank account, the (read-only) 帮扶责任人 history, sudden events and the income lines'
// member, one-off and "counts toward net income" choices, as a helper uses them.
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

async function removeItem(page, path) {
  const item = field(page, path);
  await item.getByRole("button", { name: "删除" }).click();
  await item.getByRole("alertdialog").getByRole("button", { name: "删除" }).click();
}

test("the bank card number is masked until 显示/修改, and a wrong length is an error at the field", async ({ page }) => {
  await openHousehold(page, "王德福");
  await openSection(page, "基本情况");
  const number = field(page, "bank_account.account_number");
  await expect(number).toHaveValue("**** **** 0001");
  await expect(number).toHaveAttribute("readonly", "");
  await expect(page.getByText("6221310000000000001")).toHaveCount(0);

  await page.getByRole("button", { name: "显示/修改" }).click();
  await expect(number).toHaveValue("6221310000000000001");
  await expect(number).toHaveAttribute("inputmode", "numeric");
  await number.fill("622131000009");
  await expect(number).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "bank_account.account_number")).toContainText("银行卡号应为16–19位数字，当前为12位");

  // Masked again, the error stays next to the field.
  await page.getByRole("button", { name: "隐藏" }).click();
  await expect(number).toHaveValue("**** **** 0009");
  await expect(messages(page, "bank_account.account_number")).toContainText("当前为12位");

  // The check list names it and links back to it; it blocks submitting.
  await openReview(page);
  await expect(page.locator('#summary a[href="#bank_account.account_number"]')).toBeVisible();
  await expect(page.getByTestId("submit")).toBeDisabled();
  await page.locator('#summary a[href="#bank_account.account_number"]').click();
  await expect(number).toHaveValue("**** **** 0009");

  await page.getByRole("button", { name: "显示/修改" }).click();
  await number.fill("6221 3100 0000 0000 9");
  await expect(number).toHaveValue("62213100000000009");
  await expect(number).toHaveAttribute("aria-invalid", "false");
  await expect(messages(page, "bank_account.account_number")).toBeEmpty();
});

test("帮扶责任人 is read-only: the history shows, nothing can be changed, and a line says who changes it", async ({ page }) => {
  await openHousehold(page, "王德福");
  await openSection(page, "基本情况");
  const section = page.locator("#helpers");
  const rows = section.locator(".item");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("至今");
  await expect(rows.first()).toContainText("现任");
  await expect(page.getByTestId("helpers-read-only")).toHaveText(
    "帮扶责任人的更换由本村驻村第一书记或管理员办理，手机上不能修改。",
  );
  await expect(section.getByRole("button", { name: /更换帮扶责任人|添加帮扶责任人/ })).toHaveCount(0);

  // Opened, the row shows its details in read-only fields; the section has nothing to edit.
  await rows.first().locator(".item-summary").click();
  for (const name of ["name", "unit", "position", "phone", "unit_level", "started_on"]) {
    await expect(field(page, `helpers[0].${name}`)).toHaveAttribute("readonly", "");
  }
  await expect(field(page, "helpers[0].name")).not.toHaveValue("");
  await expect(field(page, "helpers[0].started_on")).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await expect(section.locator("input:not([readonly]), select, textarea")).toHaveCount(0);
  await expect(section.getByRole("button", { name: "删除" })).toHaveCount(0);
});

test("a sudden event added survives a reload, and removing one keeps the other's text", async ({ page }) => {
  await openHousehold(page, "王德福");
  await openSection(page, "基本情况");
  for (const [kind, note] of [
    ["自然灾害", "台风吹倒槟榔树 40 株"],
    ["动物疫病(如非洲猪瘟)", "生猪死亡 6 头"],
  ]) {
    await page.getByLabel("添加突发事件").selectOption({ label: kind });
    await page.getByRole("button", { name: "＋ 添加事件" }).click();
    const index = await page.locator("#sudden_events .item").count();
    await field(page, `sudden_events[${index - 1}].note`).fill(note);
  }
  await waitSaved(page);

  await reloadAndUnlock(page);
  const events = page.locator("#sudden_events .item");
  await expect(events).toHaveCount(2);
  await expect(field(page, "sudden_events[0]")).toContainText("自然灾害");
  await expect(field(page, "sudden_events[0]")).toContainText("台风吹倒槟榔树 40 株");

  await field(page, "sudden_events[0]").locator(".item-summary").click();
  await removeItem(page, "sudden_events[0]");
  await expect(events).toHaveCount(1);
  await expect(field(page, "sudden_events[0]")).toContainText("生猪死亡 6 头");
});

test("an income line that stops counting needs a reason, reported at the reason field", async ({ page }) => {
  await openHousehold(page, "王德福");
  await openSection(page, "收入核算");
  await page.getByLabel("添加收入或支出项目").selectOption({ label: "务工收入" });
  await page.getByRole("button", { name: "＋ 添加项目" }).click();
  await field(page, "income.lines[0].amount").fill("36000");
  await field(page, "income.lines[0].member_id").selectOption({ label: "王小军（之子）" });
  await expect(page.locator("#income\\.wage")).toHaveText("36000.00");

  await field(page, "income.lines[0].treatment_override").selectOption("override");
  const reason = field(page, "income.lines[0].treatment_override.reason");
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "income.lines[0].treatment_override.reason")).toContainText("须填写依据");
  await expect(page.locator("#income\\.wage")).toHaveText("0.00");
  // The check list links to the reason field; following the link opens the income section at it.
  await openReview(page);
  await page.locator('#summary a[href="#income.lines[0].treatment_override.reason"]').click();
  await expect(reason).toBeFocused();

  await reason.fill("村规：季节性帮工收入不稳定，不计入");
  await expect(messages(page, "income.lines[0].treatment_override.reason")).toBeEmpty();
  await openReview(page);
  await expect(page.locator('#summary a[href="#income.lines[0].treatment_override.reason"]')).toHaveCount(0);
  await openSection(page, "收入核算");
  await field(page, "income.lines[0].one_off").check();
  await waitSaved(page);

  await reloadAndUnlock(page);
  await openSection(page, "收入核算");
  await expect(field(page, "income.lines[0].treatment_override.reason")).toHaveValue("村规：季节性帮工收入不稳定，不计入");
  await expect(field(page, "income.lines[0].one_off")).toBeChecked();
  await expect(field(page, "income.lines[0].member_id").locator("option:checked")).toHaveText("王小军（之子）");
});

test("removing the second of three income lines leaves the others their typed text and errors", async ({ page }) => {
  await openHousehold(page, "王德福");
  await openSection(page, "收入核算");
  for (let line = 0; line < 3; line += 1) {
    await page.getByLabel("添加收入或支出项目").selectOption({ label: "务工收入" });
    await page.getByRole("button", { name: "＋ 添加项目" }).click();
  }
  await field(page, "income.lines[0].amount").fill("1000");
  await field(page, "income.lines[0].note").fill("第一项");
  await field(page, "income.lines[1].amount").fill("2000");
  await field(page, "income.lines[1].note").fill("第二项");
  await field(page, "income.lines[2].amount").fill("3O00");
  await field(page, "income.lines[2].amount").blur();
  await field(page, "income.lines[2].note").fill("第三项");
  await expect(field(page, "income.lines[2].amount")).toHaveAttribute("aria-invalid", "true");

  await removeItem(page, "income.lines[1]");

  await expect(page.locator("#income\\.lines .item")).toHaveCount(2);
  await expect(field(page, "income.lines[2]")).toHaveCount(0);
  await expect(field(page, "income.lines[0].note")).toHaveValue("第一项");
  await expect(field(page, "income.lines[0].amount")).toHaveValue("1000.00");
  await expect(field(page, "income.lines[1].note")).toHaveValue("第三项");
  await expect(field(page, "income.lines[1].amount")).toHaveValue("3O00");
  await expect(field(page, "income.lines[1].amount")).toHaveAttribute("aria-invalid", "true");
  await expect(messages(page, "income.lines[1].amount")).not.toBeEmpty();
  await expect(field(page, "income.lines[0].amount")).toHaveAttribute("aria-invalid", "false");
});
