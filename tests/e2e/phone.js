// What a helper does on the phone, shared by the sync tests and the outbox benchmark: log in, fill and submit
// a household visit, and (for volume) copy a queued submission many times under fresh UUIDs.
import { DEMO_HELPER, DEMO_PASSWORD } from "./server.js";
import { DEMO_PIN, withVault } from "./vault.js";

export { DEMO_PIN };

/** A form field by its path (`income.lines[0].amount`), and the messages shown under it. */
export const field = (page, path) => page.locator(`[id="${path}"]`);
export const messages = (page, path) => page.locator(`[id="${path}-messages"]`);

/** After a password login: sets the app PIN when the app asks for one (first login on this browser, or a
 * forgotten PIN), or types it when the app asks for it. */
export async function setPin(page, pin = DEMO_PIN) {
  const setting = page.getByTestId("set-pin");
  const entering = page.getByTestId("enter-pin");
  await setting.or(entering).waitFor();
  if (await setting.isVisible()) {
    await page.getByLabel(/^PIN/).fill(pin);
    await page.getByLabel(/再输入一次 PIN|PIN again/).fill(pin);
    await page.getByRole("button", { name: /设置并进入|Set and continue/ }).click();
  } else {
    await unlock(page, pin);
  }
  await setting.or(entering).waitFor({ state: "detached" });
}

/** Types the PIN on the lock screen (after a reload, or when the app was idle). */
export async function unlock(page, pin = DEMO_PIN) {
  await page.getByTestId("enter-pin").waitFor();
  await page.getByLabel(/^PIN/).fill(pin);
  await page.getByRole("button", { name: /^(解锁|Unlock)$/ }).click();
  await page.getByTestId("enter-pin").waitFor({ state: "detached" });
}

/** Opens `url` (a fresh start of the app, so it asks for the PIN) and unlocks it. */
export async function gotoAndUnlock(page, url, pin = DEMO_PIN) {
  await page.goto(url);
  await unlock(page, pin);
}

/** Reloads the page and unlocks the app again. */
export async function reloadAndUnlock(page, pin = DEMO_PIN) {
  await page.reload();
  await unlock(page, pin);
}

/** Keeps `locale` as the phone's language in IndexedDB (a phone-wide value, not sealed); it applies at the next start. */
export async function storeLocale(page, locale) {
  await page.evaluate(async (locale) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zoufang");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction("meta", "readwrite");
    tx.objectStore("meta").put(JSON.stringify(locale), "locale");
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, locale);
}

export async function logIn(page, url, phone = DEMO_HELPER.phone) {
  await page.goto(url);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await setPin(page);
  // A helper lands on their households, a first secretary on the village view, a village cadre on the night school.
  await page
    .locator('[data-testid="household-row"], [data-testid="village-row"], [data-testid="ns-this-week"]')
    .first()
    .waitFor();
}

/**
 * Opens one section of the open household alone (`/households/:id/edit/:section`) from its overview, going back
 * to the overview first when another screen of the household is open. `name` is the section's name on the list.
 */
export async function openSection(page, name) {
  const link = page
    .getByTestId("section-link")
    .filter({ has: page.locator(".section-name", { hasText: new RegExp(`^${name}$`) }) });
  const done = page.getByTestId("section-done");
  const toOverview = page.getByTestId("to-overview");
  // The household's frame and the screen inside it are separate lazy routes: the save state can show a moment
  // before the screen below it, so wait for the screen itself.
  await link.or(done).or(toOverview).first().waitFor();
  if (!(await link.isVisible())) {
    await ((await done.isVisible()) ? done : toOverview).click();
  }
  await link.click();
  await page.getByTestId("section").waitFor();
}

/** Opens the check list with 提交 (the visit's last step) from the overview or from a section. */
export async function openReview(page) {
  const fromSection = page.getByTestId("to-review");
  const fromOverview = page.getByTestId("overview-review");
  await fromSection.or(fromOverview).or(page.getByTestId("to-overview")).first().waitFor();
  if (await fromSection.isVisible()) {
    await fromSection.click();
  } else {
    if (!(await fromOverview.isVisible())) await page.getByTestId("to-overview").click();
    await fromOverview.click();
  }
  await page.locator("#summary").waitFor();
}

/** Logs in as the demo helper and opens one of their households. */
export async function openHousehold(page, url, headName) {
  await logIn(page, url);
  await page.getByTestId("household-row").filter({ hasText: headName }).click();
  await page.getByTestId("save-state").waitFor();
}

/** Fills 郑光辉's income sheet, plan and visit so that only warnings remain, gives their reasons and submits. */
export async function fillAndSubmit(page, { beforeSubmit } = {}) {
  await page.getByTestId("household-row").filter({ hasText: "郑光辉" }).click();
  await page.getByTestId("save-state").waitFor();
  await openSection(page, "收入核算");
  await page.getByLabel("添加收入或支出项目").selectOption({ label: "务工收入" });
  await page.getByRole("button", { name: "＋ 添加项目" }).click();
  await field(page, "income.lines[0].amount").fill("36000");
  await openSection(page, "一户一策");
  await page.getByRole("button", { name: "＋ 添加措施" }).click();
  await field(page, "plan.measures[0].content").fill("发展槟榔种植 3 亩");
  await field(page, "plan.measures[0].responsible_unit").fill("三门坡镇农业服务中心");
  await field(page, "plan.measures[0].deadline").fill("2026-12-31");
  await openSection(page, "走访记录");
  await page.getByRole("button", { name: "收入核算" }).click();
  await field(page, "visit.notes").fill("核算 2025 年收入，户主确认。");
  if (beforeSubmit) await beforeSubmit(page);
  await openReview(page);
  const errors = await page.locator("#summary .finding-error").count();
  if (errors !== 0) throw new Error(`${errors} errors left in the form`);
  for (const reason of await page.locator('#summary [id^="reason-"]').all()) {
    await reason.fill("已入户核实");
  }
  // Clicking waits until the button is enabled (every warning has its reason).
  await page.getByTestId("submit").click();
  await page.getByTestId("queued").waitFor();
}

/**
 * Copies the one queued item `count - 1` times with fresh UUIDs (the submission, its visit, plan and sheet).
 * `keepEvidence: false` drops the copies' photos, so the photos are sent once, with the original.
 */
export async function cloneOutbox(page, count, { keepEvidence = true } = {}) {
  // Values are sealed with the user's data key: the copies are sealed the same way (see vault.js).
  await withVault(
    page,
    async (vault, { count, keepEvidence }) => {
      const [[, text]] = await vault.entries("outbox");
      const item = JSON.parse(text);
      const start = Date.parse(item.submitted_at);
      for (let n = 1; n < count; n += 1) {
        const copy = structuredClone(item);
        copy.id = crypto.randomUUID();
        copy.submitted_at = new Date(start + n * 1000).toISOString();
        copy.snapshot.visit.id = crypto.randomUUID();
        copy.snapshot.plan.id = crypto.randomUUID();
        copy.snapshot.income.id = crypto.randomUUID();
        if (!keepEvidence) copy.snapshot.visit.evidence = [];
        await vault.put("outbox", copy.id, JSON.stringify(copy));
      }
    },
    { count, keepEvidence },
  );
}

/** The server's copy of a household, as the helper's account sees it. */
/**
 * Queues `count` records with no signal (one visit submitted, then copied under fresh UUIDs), shows them on 同步
 * after a reload, comes back online and presses 立即同步 (which skips the backoff waits) until every one is 已发送
 * or `timeoutMs` has passed. Returns how many were sent.
 */
export async function queueAndSendMany(page, context, count, timeoutMs) {
  await context.setOffline(true);
  await fillAndSubmit(page);
  await cloneOutbox(page, count);
  await page.getByRole("navigation").getByRole("link", { name: /^(同步|Sync)$/ }).click();
  await reloadAndUnlock(page);
  await page.getByTestId("outbox-item").nth(count - 1).waitFor();
  await context.setOffline(false);
  const deadline = Date.now() + timeoutMs;
  while ((await sentCount(page)) < count && Date.now() < deadline) {
    await page.getByTestId("sync-now").click().catch(() => {});
    await page.waitForTimeout(500);
  }
  return sentCount(page);
}

/** Outbox items the 同步 page shows as 已发送. */
export async function sentCount(page) {
  return page.getByTestId("outbox-status").filter({ hasText: "已发送" }).count();
}

export async function serverHousehold(url, headName) {
  const login = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone: DEMO_HELPER.phone, password: DEMO_PASSWORD }),
  });
  const { token } = await login.json();
  const response = await fetch(`${url}/api/assignments`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  return body.households.find((h) => h.household.members.some((m) => m.name === headName && m.relation === "head"));
}

/** Waits until the service worker has installed this build and controls the page. */
export async function untilOfflineReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve));
    }
  });
}
