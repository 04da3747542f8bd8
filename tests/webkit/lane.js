// The harness shared by the WebKit lane's test files: one WebKitWebDriver (and Xvfb) per file, and per test a
// fresh server, CSP watch and browser session. Every test fails on any Content-Security-Policy violation WebKit
// reports (see csp-watch.js), and a failing test says what the policy blocked and leaves a screenshot.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "../e2e/server.js";
import { startCspWatch } from "./csp-watch.js";
import { startWebKit } from "./webkit.js";

const SCREENSHOTS = resolve(import.meta.dirname, "..", "test-results", "webkit");
/** Violation reports are posted after the fact: give the last ones time to arrive before judging. */
const REPORT_SETTLE_MS = 500;

// Imported by a test file, these hooks start one WebKitWebDriver for that file (its own process).
let webkit;
before(async () => {
  webkit = await startWebKit();
});
after(async () => {
  await webkit?.stop();
});

/** Saves what the browser shows as tests/test-results/webkit/<name>.png; returns the path. */
export async function screenshot(driver, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  writeFileSync(path, await driver.takeScreenshot(), "base64");
  return path;
}

/** Adds what explains a failure: the CSP violations seen, whether the wasm app started, a screenshot. */
async function explainFailure(error, name, driver, watch) {
  const blocked = watch.violations();
  if (blocked.length) error.message += `\nCSP violations:\n  ${blocked.join("\n  ")}`;
  // The page's loader (tools/build-app.mjs) sets wasmBindings once the wasm runs. WebKit refuses a WebAssembly compile that the policy
  // forbids (no 'wasm-unsafe-eval') without any violation report, so a page that never starts is named here.
  const started = await driver.executeScript("return typeof window.wasmBindings === 'object'").catch(() => null);
  if (started === false) error.message += `\nthe wasm app never started on this page (policy: ${watch.policy})`;
  const shot = await screenshot(driver, name.replace(/[^\p{L}\p{N}]+/gu, "-")).catch(() => "none");
  error.message += `\n(screenshot: ${shot})`;
}

/**
 * A test with its own server and CSP watch. `body` gets `{ t, server, watch, url, driver, openBrowser, profile }`:
 * `driver` is a fresh browser session, a MiniBrowser with empty in-memory storage, or with `persistent: true`
 * persistent-browser.py on a new profile directory (`profile`). `openBrowser()` opens another session on the
 * same profile, as a phone's browser opens again after it was closed. Every session is closed at the end; the
 * latest is what a failure screenshots. The test fails if WebKit reported any CSP violation.
 */
export function webkitTest(name, body, { timeout = 60_000, todo, persistent = false } = {}) {
  test(name, { timeout, todo }, async (t) => {
    const server = await startServer();
    const profile = persistent ? mkdtempSync(join(tmpdir(), "zoufang-webkit-profile-")) : undefined;
    const sessions = [];
    let watch;
    const openBrowser = async () => {
      sessions.push(await webkit.newSession({ profile }));
      return sessions.at(-1);
    };
    try {
      watch = await startCspWatch(server.url);
      const driver = await openBrowser();
      try {
        await body({ t, server, watch, url: watch.url, driver, openBrowser, profile });
        await sessions.at(-1).sleep(REPORT_SETTLE_MS);
        assert.deepEqual(watch.violations(), [], `CSP violations: ${watch.policy}`);
      } catch (error) {
        await explainFailure(error, name, sessions.at(-1), watch);
        throw error;
      }
    } finally {
      for (const session of sessions) await session.quit().catch(() => {});
      await watch?.stop();
      await server.cleanup();
      if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  });
}
