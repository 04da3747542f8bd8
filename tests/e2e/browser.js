// Launches Debian's Chromium as its own process on a given profile, so a test can kill it with SIGKILL
// (a crash, a dead battery) and start it again on the same profile.
import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";
import { chromiumArgs } from "../playwright.config.js";

export async function launchOwnChromium(userDataDir) {
  const child = spawn(
    process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    [...chromiumArgs, "--lang=zh-CN", `--user-data-dir=${userDataDir}`, "--remote-debugging-port=0", "--window-size=360,740", "about:blank"],
    // Its own process group, so a kill takes the browser and all its helper processes at once.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const endpoint = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${seen}`)), 20_000);
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`chromium exited (${code}):\n${seen}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  return {
    browser,
    context,
    /** Kills the whole browser (every process of it) at once, with no chance to flush anything. */
    async killHard() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      await exited;
    },
    async close() {
      await this.killHard();
    },
  };
}
