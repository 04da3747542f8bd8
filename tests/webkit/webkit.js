// Safari's engine for the end-to-end lane: Debian's WebKitGTK WebDriver (`WebKitWebDriver`, package
// webkit2gtk-driver) driving its MiniBrowser, on an X display (Xvfb when none is set), through
// selenium-webdriver. `scripts/setup --test` installs all of it.
//
// MiniBrowser's automation sessions keep every kind of website data (IndexedDB, Cache Storage, service
// workers, cookies) in memory only, like Safari's private mode: it lives as long as the session and starts
// empty. For what a phone keeps across restarts, a session can instead run persistent-browser.py (the same
// WebKitGTK, with its data in a directory).
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Builder } from "selenium-webdriver";
import { freePort } from "../e2e/server.js";

const SETUP_HINT = "run `scripts/setup --test` (Debian's webkit2gtk-driver, xvfb, python3-gi, gir1.2-webkit2-4.1)";
/** A browser that keeps its website data on disk: see persistent-browser.py. */
const PERSISTENT_BROWSER = { name: "ZoufangPersistentBrowser", binary: join(import.meta.dirname, "persistent-browser.py") };

/** A phone's window; MiniBrowser's toolbar keeps its window (and so the page) at least 447 px wide. */
export const WINDOW = { width: 360, height: 800 };

function webDriverBinary() {
  const path = process.env.WEBKIT_WEBDRIVER || "/usr/bin/WebKitWebDriver";
  if (!existsSync(path)) throw new Error(`${path} not found: ${SETUP_HINT}`);
  return path;
}

/** Debian ships MiniBrowser outside PATH, under the multiarch directory of libwebkit2gtk-4.x. */
function miniBrowserBinary() {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  for (const arch of readdirSync("/usr/lib")) {
    for (const api of ["webkit2gtk-4.1", "webkit2gtk-4.0", "webkitgtk-6.0"]) {
      const candidate = join("/usr/lib", arch, api, "MiniBrowser");
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`MiniBrowser not found under /usr/lib/*/webkit2gtk-4.*: ${SETUP_HINT}`);
}


/** The display to draw on: the caller's, or a fresh Xvfb that picks a free display number itself. */
async function startDisplay() {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, stop: async () => {} };
  const child = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  const display = await new Promise((resolve, reject) => {
    let errors = "";
    let number = "";
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 10 s:\n${errors}`)), 10_000);
    child.once("error", (error) => reject(new Error(`Xvfb: ${error.message}: ${SETUP_HINT}`)));
    child.stderr.on("data", (chunk) => (errors += chunk));
    child.stdio[3].on("data", (chunk) => {
      number += chunk;
      if (number.includes("\n")) {
        clearTimeout(timer);
        resolve(`:${number.trim()}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`Xvfb exited (${code}):\n${errors}`)));
  });
  return { display, stop: () => stopChild(child) };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  return exited;
}

async function waitForDriver(url, child, output) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver at ${url} not ready within 10 s:\n${output()}`);
}

/**
 * Starts WebKitWebDriver (and Xvfb when there is no display). `newSession()` opens a browser through it;
 * `stop()` ends the driver and the display.
 */
export async function startWebKit() {
  const driverBinary = webDriverBinary();
  const miniBrowser = miniBrowserBinary();
  const display = await startDisplay();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(driverBinary, [`--port=${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DISPLAY: display.display },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  try {
    await waitForDriver(url, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    await display.stop();
    throw error;
  }
  return {
    url,
    output: () => output,
    /**
     * A fresh browser. Without `profile` it is MiniBrowser with ephemeral storage; with `profile` (a directory)
     * it is persistent-browser.py keeping its data there, so a later session on the same profile finds it.
     */
    async newSession({ profile } = {}) {
      const browser = profile
        ? {
            browserName: PERSISTENT_BROWSER.name,
            binary: PERSISTENT_BROWSER.binary,
            args: [`--data-dir=${profile}`, "--time-zone=Asia/Shanghai", `--window-size=${WINDOW.width}x${WINDOW.height}`],
          }
        : {
            browserName: "MiniBrowser",
            binary: miniBrowser,
            // --automation lets WebDriver control MiniBrowser; it also makes its storage ephemeral.
            args: ["--automation", "--time-zone=Asia/Shanghai"],
          };
      const driver = await new Builder()
        .usingServer(url)
        .withCapabilities({
          browserName: browser.browserName,
          "webkitgtk:browserOptions": { binary: browser.binary, args: browser.args },
        })
        .build();
      await driver.manage().window().setRect({ x: 0, y: 0, ...WINDOW });
      return driver;
    },
    async stop() {
      await stopChild(child);
      await display.stop();
    },
  };
}
