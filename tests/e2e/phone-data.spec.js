// What the phone carries is protected: each user sees only their own data, an unsent record is offered before
// logging out and never lost, everything stored is ciphertext, reopening the app asks for the PIN, and wrong PINs
// are throttled across reloads.
import { test, expect } from "@playwright/test";
import { startServer, DEMO_PASSWORD } from "./server.js";
import { DEMO_PIN, fillAndSubmit, logIn, openSection, serverHousehold, setPin, unlock } from "./phone.js";
import { withVault } from "./vault.js";

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.cleanup();
});

const HELPER_2 = "13800000002";
const FIRST_SECRETARY = "13800000004";

/** Every key and value of every object store, as stored (bytes as Latin-1 text, so any readable run shows). */
async function dumpEverything(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const done = (request) =>
      new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    let text = "";
    for (const name of db.objectStoreNames) {
      const tx = db.transaction(name);
      const keys = await done(tx.objectStore(name).getAllKeys());
      const values = await done(tx.objectStore(name).getAll());
      for (const [index, key] of keys.entries()) {
        let value = values[index];
        if (value instanceof Blob) value = await value.arrayBuffer();
        if (value instanceof ArrayBuffer) value = new TextDecoder("utf-8", { fatal: false }).decode(value);
        text += `${name}/${key}=${typeof value === "string" ? value : JSON.stringify(value)}\n`;
      }
    }
    db.close();
    return text;
  });
}

/** Names, ID numbers and bank account numbers of a helper's households, from the server. */
async function secretsOf(phone) {
  const login = await fetch(`${server.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  const { token } = await login.json();
  const body = await (await fetch(`${server.url}/api/assignments`, { headers: { authorization: `Bearer ${token}` } })).json();
  const secrets = { names: [], idNumbers: [], bankNumbers: [] };
  for (const { household } of body.households) {
    for (const member of household.members) {
      secrets.names.push(member.name);
      secrets.idNumbers.push(member.id_number);
    }
    if (household.bank_account) secrets.bankNumbers.push(household.bank_account.account_number);
  }
  return secrets;
}

async function openMe(page) {
  await page.getByRole("navigation").getByRole("link", { name: "我的", exact: true }).click();
}

test("another user on the same phone sees none of the first user's data; the first user's unsent record is offered and comes back", async ({ page, context }, testInfo) => {
  await logIn(page, server.url);
  const before = await serverHousehold(server.url, "郑光辉");
  await context.setOffline(true);
  await fillAndSubmit(page);

  // Logging out with an unsent record: it is shown, with the choice to send it first or keep it.
  await openMe(page);
  await page.getByTestId("logout").click();
  const offer = page.getByTestId("logout-unsent");
  await expect(offer).toContainText("还有 1 条记录没有发送");
  await expect(offer).toContainText("郑光辉");
  await offer.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("logout-unsent-zh.png") });
  await offer.getByTestId("logout-keep").click();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();

  // Another helper logs in on the same browser.
  await context.setOffline(false);
  await logIn(page, server.url, HELPER_2);
  const first = await secretsOf("13800000001");
  const second = await secretsOf(HELPER_2);
  const rows = page.getByTestId("household-row");
  await expect(rows).toHaveCount(4);
  // The second helper is told that another user's unsent record stays on the phone, unseen and unsent by them.
  await expect(page.getByTestId("kept-for-others")).toContainText("另一位用户没有发送的 1 条记录");
  await page.screenshot({ path: testInfo.outputPath("kept-for-others-zh.png") });
  for (const name of first.names) await expect(rows.filter({ hasText: name })).toHaveCount(0);
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("sync-status")).toContainText("同步完成");
  await expect(page.getByTestId("outbox-item")).toHaveCount(0);
  // The first helper's record is still on the phone, sealed with their key: nothing of it is readable, and it
  // was not sent with this login.
  const dump = await dumpEverything(page);
  for (const secret of [...first.names, ...first.idNumbers, ...first.bankNumbers, ...second.names, ...second.idNumbers, ...second.bankNumbers]) {
    expect(dump, `${secret} readable in the stored data`).not.toContain(secret);
  }
  expect((await serverHousehold(server.url, "郑光辉")).version).toBe(before.version);

  // The second helper logs out (nothing unsent: a plain confirmation).
  await openMe(page);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("logout").click();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();

  // The first helper comes back: the password login brings the data key back, a PIN is set, and the record is
  // sent with their own login.
  await logIn(page, server.url);
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("outbox-item")).toHaveCount(1);
  await expect(page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });
  expect((await serverHousehold(server.url, "郑光辉")).version).toBe(before.version + 1);
});

test("every stored value is ciphertext: no name, ID number or bank account number in a dump of every store", async ({ page, context }) => {
  await logIn(page, server.url);
  const secrets = await secretsOf("13800000001");
  expect(secrets.bankNumbers.length).toBeGreaterThan(0);
  // A draft and a queued record as well as the households.
  await page.getByTestId("household-row").first().click();
  await openSection(page, "走访记录");
  await page.locator('[id="visit.notes"]').fill("户主王德福说明了家里情况");
  await expect(page.getByTestId("save-state")).toContainText("已保存");
  await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
  await context.setOffline(true);
  await fillAndSubmit(page);

  const dump = await dumpEverything(page);
  expect(dump).toContain('"sealed"');
  for (const secret of [...secrets.names, ...secrets.idNumbers, ...secrets.bankNumbers, "王德福", DEMO_PASSWORD]) {
    expect(dump, `${secret} readable in the stored data`).not.toContain(secret);
  }
  // The session token is sealed too.
  const stored = await withVault(page, async (vault) => JSON.parse(await vault.get("meta", "session")));
  expect(dump).not.toContain(stored.token);
  // With the PIN the same values open: the draft is there.
  const drafts = await withVault(page, async (vault) => (await vault.entries("drafts")).map(([, text]) => text));
  expect(drafts.join("")).toContain("户主王德福说明了家里情况");
});

test("a first secretary's phone keeps the village as ciphertext too, with the bank account number masked", async ({ page }) => {
  await logIn(page, server.url, FIRST_SECRETARY);
  const secrets = await secretsOf(FIRST_SECRETARY);
  expect(secrets.names.length).toBeGreaterThan(0);
  // The bank account number reaches a first secretary masked.
  for (const number of secrets.bankNumbers) expect(number).toMatch(/^\d{4} \*{4} \*{4} \d{4}$/);
  // A household opened from the village view, so its draft and what it fetched are stored too.
  await page.getByTestId("village-row").first().click();
  await page.getByTestId("save-state").waitFor();
  await page.waitForLoadState("networkidle");
  const dump = await dumpEverything(page);
  expect(dump).toContain('"sealed"');
  for (const secret of [...secrets.names, ...secrets.idNumbers]) {
    expect(dump, `${secret} readable in the stored data`).not.toContain(secret);
  }
  const stored = await withVault(page, async (vault) => JSON.parse(await vault.get("meta", "session")));
  expect(dump).not.toContain(stored.token);
});

test("reopening the app asks for the PIN, then shows the drafts", async ({ page, context }, testInfo) => {
  await logIn(page, server.url);
  await page.getByTestId("household-row").first().click();
  await openSection(page, "走访记录");
  await page.locator('[id="visit.notes"]').fill("关掉应用前写的");
  await expect(page.getByTestId("save-state")).toContainText("已保存");
  await page.close();

  const reopened = await context.newPage();
  await reopened.setViewportSize({ width: 360, height: 740 });
  await reopened.goto(server.url);
  await expect(reopened.getByTestId("enter-pin")).toBeVisible();
  await expect(reopened.getByTestId("household-row")).toHaveCount(0);
  await reopened.screenshot({ path: testInfo.outputPath("enter-pin-zh.png") });
  await unlock(reopened);
  await expect(reopened.getByTestId("household-row").first().locator(".mark-draft")).toContainText("草稿");
  await reopened.getByTestId("household-row").first().click();
  await openSection(reopened, "走访记录");
  await expect(reopened.locator('[id="visit.notes"]')).toHaveValue("关掉应用前写的");
});

test("five wrong PINs make the next try wait, also after a reload; the right PIN then opens", async ({ page }, testInfo) => {
  await page.goto(server.url);
  await page.getByLabel("手机号").fill("13800000001");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("set-pin")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("set-pin-zh.png") });
  // Mistakes in the new PIN are named at once.
  await page.getByLabel(/^PIN/).fill("12345");
  await page.getByRole("button", { name: "设置并进入" }).click();
  await expect(page.getByTestId("pin-error")).toHaveText("PIN 应为 6 位数字");
  await page.getByLabel(/^PIN/).fill("123456");
  await page.getByLabel("再输入一次 PIN").fill("654321");
  await page.getByRole("button", { name: "设置并进入" }).click();
  await expect(page.getByTestId("pin-error")).toHaveText("两次输入的 PIN 不一致，请重新输入");
  await setPin(page);
  await page.getByTestId("household-row").first().waitFor();

  await page.reload();
  const error = page.getByTestId("pin-error");
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await page.getByLabel(/^PIN/).fill("000000");
    await page.getByRole("button", { name: "解锁" }).click();
    await expect(error).toContainText(`已连续错 ${attempt} 次`);
  }
  await page.getByLabel(/^PIN/).fill("000000");
  await page.getByRole("button", { name: "解锁" }).click();
  await expect(error).toContainText("PIN 错误次数过多，请在");
  await page.screenshot({ path: testInfo.outputPath("pin-throttled-zh.png") });
  // While it waits even the right PIN is not tried, and a reload does not reset the wait.
  await page.getByLabel(/^PIN/).fill(DEMO_PIN);
  await page.getByRole("button", { name: "解锁" }).click();
  await expect(error).toContainText("PIN 错误次数过多");
  await expect(page.getByTestId("household-row")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("pin-error")).toContainText("PIN 错误次数过多");

  // Once the wait is over (moved into the past here), the right PIN opens.
  await page.evaluate(async () => {
    const db = await new Promise((resolve) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
    });
    const tx = db.transaction("meta", "readwrite");
    const store = tx.objectStore("meta");
    const keys = await new Promise((resolve) => {
      const request = store.getAllKeys();
      request.onsuccess = () => resolve(request.result);
    });
    for (const key of keys.filter((k) => k.startsWith("phone/pin_failures/"))) {
      store.put(JSON.stringify({ count: 5, wait_until_ms: 0 }), key);
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  });
  await unlock(page);
  await page.getByTestId("household-row").first().waitFor();

  // The lock screen in English, at 360×740.
  await openMe(page);
  await page.getByRole("button", { name: "English" }).click();
  await page.getByTestId("lock-now").click();
  await expect(page.getByRole("heading", { name: "Enter your PIN" })).toBeVisible();
  await page.getByLabel(/^PIN/).fill("111111");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByTestId("pin-error")).toContainText("Wrong PIN");
  await page.getByTestId("forgot-pin").click();
  await page.screenshot({ path: testInfo.outputPath("enter-pin-en.png") });
});

test("an app left unused for the chosen time asks for the PIN again, also after coming back to a hidden tab; typing keeps it open; the draft stays", async ({ page }, testInfo) => {
  await page.clock.install();
  await logIn(page, server.url);
  await openMe(page);
  await page.getByLabel("闲置多久后需要输入 PIN").selectOption("1");
  await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
  await page.getByTestId("household-row").first().click();
  await openSection(page, "走访记录");
  const notes = page.locator('[id="visit.notes"]');

  // A key every 20 s for two minutes: the app is in use and stays open.
  for (let key = 0; key < 6; key += 1) {
    await page.clock.fastForward(20_000);
    await notes.press("End");
    await notes.pressSequentially("走");
  }
  await expect(page.getByTestId("save-state")).toContainText("已保存");
  await expect(page.getByTestId("enter-pin")).toHaveCount(0);

  // A minute without a touch: the PIN is asked and nothing of the household is on the screen.
  await page.clock.fastForward(61_000);
  await expect(page.getByTestId("enter-pin")).toBeVisible();
  await expect(notes).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("idle-locked-zh.png") });
  await unlock(page);
  await expect(notes).toHaveValue("走走走走走走");

  // Hidden for two minutes (no timer ran meanwhile): shown again, the PIN is asked at once.
  const setVisibility = (state) =>
    page.evaluate((state) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    }, state);
  await setVisibility("hidden");
  await page.clock.setSystemTime((await page.evaluate(() => Date.now())) + 120_000);
  await expect(page.getByTestId("enter-pin")).toHaveCount(0);
  await setVisibility("visible");
  await expect(page.getByTestId("enter-pin")).toBeVisible();
  await unlock(page);
  await expect(notes).toHaveValue("走走走走走走");
});
