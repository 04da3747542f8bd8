// Sync as a helper lives it: fill and submit with no signal, come back online, and the server holds exactly one
// record; a server that commits but loses 30% of its answers still ends with every record once; a server restart
// in the middle of sending does not stop the queue.
import { test, expect } from "@playwright/test";
import { startServer } from "./server.js";
import { startCountingProxy } from "./counting-proxy.js";
import { cloneOutbox, fillAndSubmit, logIn, queueAndSendMany, reloadAndUnlock, sentCount, serverHousehold } from "./phone.js";

async function gotoSync(page) {
  await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
  await expect(page.getByTestId("sync-now")).toBeVisible();
}

test("filled and submitted offline, sent once when the signal returns", async ({ page, context }) => {
  const server = await startServer();
  try {
    await logIn(page, server.url);
    const before = await serverHousehold(server.url, "郑光辉");
    await context.setOffline(true);
    await fillAndSubmit(page);
    await gotoSync(page);
    await expect(page.getByTestId("outbox-status")).toHaveText("待发送");
    await expect(page.getByTestId("connection")).toContainText("离线");

    await context.setOffline(false);
    // The `online` event starts the driver by itself: no button pressed.
    await expect(page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });
    const after = await serverHousehold(server.url, "郑光辉");
    expect(after.version).toBe(before.version + 1);
    expect(after.plan.measures.map((m) => m.content)).toEqual(["发展槟榔种植 3 亩"]);
    expect(after.review.status).toBe("pending");

    // Pressing 立即同步 again sends nothing twice.
    await page.getByTestId("sync-now").click();
    await expect(page.getByTestId("sync-status")).toContainText("同步完成");
    expect((await serverHousehold(server.url, "郑光辉")).version).toBe(before.version + 1);

    // The list no longer marks the household as waiting.
    await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
    await expect(page.getByTestId("household-row").filter({ hasText: "郑光辉" }).locator(".mark-queued")).toHaveCount(0);
  } finally {
    await server.cleanup();
  }
});

test("a server that loses 30% of its answers: 200 submissions, no duplicate, no loss", async ({ page, context }) => {
  test.setTimeout(300_000);
  const server = await startServer({ args: ["--drop-response-rate", "0.3"] });
  try {
    await logIn(page, server.url);
    const before = await serverHousehold(server.url, "郑光辉");
    expect(await queueAndSendMany(page, context, 200, 240_000)).toBe(200);
    await expect(page.getByTestId("outbox-item")).toHaveCount(200);
    await expect(page.getByTestId("outbox-status").filter({ hasText: "需处理" })).toHaveCount(0);
    // Each accepted submission raises the household's version by one: 200 more means every record was stored
    // exactly once (a duplicate would raise it further, a loss less).
    const after = await serverHousehold(server.url, "郑光辉");
    expect(after.version).toBe(before.version + 200);
    expect(server.output()).toContain("dropping the response");
  } finally {
    await server.cleanup();
  }
});

test("a server restart in the middle of sending over a slow link: the queue resumes by itself", async ({ page, context }) => {
  test.setTimeout(180_000);
  let server = await startServer();
  const { port, dataDir } = server;
  // A slow link, as a proxy between the phone and the server: every submission takes 300 ms more to arrive. Once the
  // restart begins, a submission on its way waits until the server is down, so the phone meets the stopped server
  // however fast the machine running this test is.
  let passed = 0;
  let serverDown = null;
  const link = await startCountingProxy(server.url, {
    beforeForwarding: async (path) => {
      if (path !== "/api/submissions") return;
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (serverDown) await serverDown;
      passed += 1;
    },
  });
  try {
    await logIn(page, link.url);
    const before = await serverHousehold(server.url, "郑光辉");
    await context.setOffline(true);
    await fillAndSubmit(page);
    await cloneOutbox(page, 40);
    await gotoSync(page);
    await reloadAndUnlock(page);
    await expect(page.getByTestId("outbox-item")).toHaveCount(40);
    // Back online: the `online` event starts the driver (立即同步 stays disabled while it runs).
    await context.setOffline(false);
    await expect.poll(() => passed, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    let markDown;
    serverDown = new Promise((resolve) => (markDown = resolve));
    await server.stop();
    markDown();
    await expect(page.getByTestId("sync-status")).toContainText("自动重试", { timeout: 30_000 });
    const sentWhileDown = await sentCount(page);
    expect(sentWhileDown).toBeLessThan(40);
    server = await startServer({ port, dataDir });
    // No button pressed: the backoff timer brings the driver back.
    await expect(page.getByTestId("outbox-status").filter({ hasText: "已发送" })).toHaveCount(40, { timeout: 120_000 });
    const after = await serverHousehold(server.url, "郑光辉");
    expect(after.version).toBe(before.version + 40);
  } finally {
    await link.close();
    await server.cleanup();
  }
});

async function newPhone(browser) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  return { context, page: await context.newPage() };
}

test("the first secretary returns a plan with comments; the helper's phone shows them after the next sync", async ({ page, browser }) => {
  const server = await startServer();
  const secretary = await newPhone(browser);
  try {
    await logIn(page, server.url);
    await fillAndSubmit(page);
    await gotoSync(page);
    await expect(page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });

    // The first secretary sees the submitted plan waiting for review and returns it.
    await logIn(secretary.page, server.url, "13800000004");
    await secretary.page.getByTestId("village-awaiting").getByTestId("village-row").filter({ hasText: "郑光辉" }).click();
    const review = secretary.page.getByTestId("plan-review");
    await expect(review).toContainText("等待驻村第一书记审核");
    await secretary.page.getByTestId("review-return").click();
    await expect(secretary.page.getByTestId("review-error")).toContainText("请填写审核意见");
    await secretary.page.getByTestId("review-comments").fill("请补充务工收入的证明材料");
    await secretary.page.getByTestId("review-return").click();
    await expect(secretary.page.getByTestId("review-done")).toBeVisible();

    // The helper's next sync brings the decision and the comments.
    await expect(async () => {
      await page.getByRole("navigation").getByRole("link", { name: "同步" }).click();
      await page.getByTestId("sync-now").click();
      await expect(page.getByTestId("sync-status")).toContainText("同步完成");
      await page.getByRole("navigation").getByRole("link", { name: "我的户" }).click();
      await page.getByTestId("household-row").filter({ hasText: "郑光辉" }).click();
      await expect(page.getByTestId("plan-review")).toContainText("一户一策被退回", { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId("plan-review")).toContainText("请补充务工收入的证明材料");
    await expect(page.getByTestId("review-return")).toHaveCount(0);
  } finally {
    await secretary.context.close();
    await server.cleanup();
  }
});

test("a submission built on an older version gets 需处理 with both versions; keeping mine sends it again", async ({ page, context, browser }) => {
  const server = await startServer();
  const otherPhone = await newPhone(browser);
  try {
    await logIn(page, server.url);
    const before = await serverHousehold(server.url, "郑光辉");
    await context.setOffline(true);
    await fillAndSubmit(page);

    // Meanwhile the same household is submitted from another phone, which has signal.
    await logIn(otherPhone.page, server.url);
    await fillAndSubmit(otherPhone.page);
    await gotoSync(otherPhone.page);
    await expect(otherPhone.page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });

    await context.setOffline(false);
    await gotoSync(page);
    await expect(page.getByTestId("outbox-status")).toHaveText("需处理", { timeout: 20_000 });
    const problem = page.getByTestId("outbox-problem");
    await expect(problem).toContainText("这户在服务器上已被修改");
    await expect(problem.getByTestId("conflict-part-plan")).toBeVisible();
    // Nothing else is blocked and nothing was stored twice.
    expect((await serverHousehold(server.url, "郑光辉")).version).toBe(before.version + 1);

    await problem.getByTestId("conflict-keep-mine").click();
    await expect(page.getByTestId("outbox-item")).toHaveCount(1);
    await expect(page.getByTestId("outbox-status")).toHaveText("已发送", { timeout: 20_000 });
    expect((await serverHousehold(server.url, "郑光辉")).version).toBe(before.version + 2);
  } finally {
    await otherPhone.context.close();
    await server.cleanup();
  }
});
