// Starts and stops the real Zoufang server for a test: a free port, a fresh database, the demo village.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const serverBinary = process.env.ZOUFANG_SERVER_BIN || join(root, "target", "debug", "zoufang-server");
const distDir = process.env.ZOUFANG_DIST || join(root, "dist");

export const DIST_DIR = distDir;
export const DEMO_PASSWORD = "zoufang2026";
export const DEMO_HELPER = { phone: "13800000001", name: "王海燕" };

/** A TCP port free on the loopback address right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} not healthy within ${deadlineMs} ms`);
}

/** Starts a server; `port` reuses an earlier server's port (a restart). */
export async function startServer({ port, dataDir, dist = distDir, args = [] } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), "zoufang-e2e-"));
  const chosenPort = port || (await freePort());
  const url = `http://127.0.0.1:${chosenPort}`;
  const child = spawn(
    serverBinary,
    ["--addr", `127.0.0.1:${chosenPort}`, "--database", join(dir, "zoufang.sqlite"), "--dist", dist, "--demo", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" } },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  try {
    await waitForHealth(url, child, 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${error.message}\n${output}`);
  }
  return {
    url,
    port: chosenPort,
    dataDir: dir,
    output: () => output,
    /** Stops the server the way an operator would (SIGTERM) and waits for it to exit. */
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      return exited;
    },
    async cleanup() {
      await this.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
