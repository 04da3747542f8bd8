// Two server instances behind one PostgreSQL database, requests alternating between them, each losing 30% of its
// answers after committing: 200 submissions from one phone end stored exactly once each. Needs a PostgreSQL server
// (`ZOUFANG_TEST_POSTGRES_URL`, set by scripts/with-postgres; scripts/test runs this file that way).
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { startServer } from "./server.js";
import { startCountingProxy } from "./counting-proxy.js";
import { logIn, queueAndSendMany, serverHousehold } from "./phone.js";

const postgres = process.env.ZOUFANG_TEST_POSTGRES_URL;

/** The `createdb` of the newest PostgreSQL installed, the version scripts/with-postgres starts, rather than Debian's
 * /usr/bin wrapper, which chooses a version by the clusters configured on the machine. */
function createdb() {
  const root = "/usr/lib/postgresql";
  const newest = existsSync(root) ? readdirSync(root).sort((a, b) => Number(a) - Number(b)).at(-1) : undefined;
  const binary = newest && `${root}/${newest}/bin/createdb`;
  return binary && existsSync(binary) ? binary : "createdb";
}

/** A new, empty database on the test's PostgreSQL server; its URL. */
function newDatabase() {
  const server = new URL(postgres);
  const name = `zoufang_e2e_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  execFileSync(createdb(), ["-h", server.hostname, "-p", server.port, "-U", server.username || "postgres", name]);
  return `${postgres}/${name}`;
}

test("two instances on one PostgreSQL, requests alternating, 30% of answers lost: 200 submissions, no duplicate, no loss", async ({ page, context }) => {
  test.skip(!postgres, "needs ZOUFANG_TEST_POSTGRES_URL (scripts/with-postgres)");
  test.setTimeout(360_000);
  const database = newDatabase();
  const args = ["--database-url", database, "--drop-response-rate", "0.3"];
  // The first instance seeds the demo village; the second finds it there.
  const first = await startServer({ args });
  const second = await startServer({ args });
  const balancer = await startCountingProxy([first.url, second.url]);
  try {
    await logIn(page, balancer.url);
    const before = await serverHousehold(first.url, "郑光辉");
    expect(await queueAndSendMany(page, context, 200, 300_000)).toBe(200);
    await expect(page.getByTestId("outbox-item")).toHaveCount(200);
    await expect(page.getByTestId("outbox-status").filter({ hasText: "需处理" })).toHaveCount(0);
    // Every accepted submission raises the household's version by one: 200 more, read through either instance.
    expect((await serverHousehold(first.url, "郑光辉")).version).toBe(before.version + 200);
    expect((await serverHousehold(second.url, "郑光辉")).version).toBe(before.version + 200);
    // Both instances took submissions and both dropped answers.
    expect(balancer.hitsAt(0, "/api/submissions")).toBeGreaterThan(50);
    expect(balancer.hitsAt(1, "/api/submissions")).toBeGreaterThan(50);
    expect(first.output()).toContain("dropping the response");
    expect(second.output()).toContain("dropping the response");
  } finally {
    await balancer.close();
    await second.cleanup();
    await first.cleanup();
  }
});
