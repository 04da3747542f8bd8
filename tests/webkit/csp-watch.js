// Content-Security-Policy violations as WebKit reports them, including those during page load (a blocked
// inline loader, wasm compilation refused), which a `securitypolicyviolation` listener injected after the load
// would miss. A small HTTP proxy sits between the browser and the real server, passes every request and
// answer through, and only adds `report-uri` to the policy so the browser posts each violation back to the
// proxy.
//
// While the server sends no policy (before issue 12's headers land), the proxy applies the one issue 12 plans,
// with the hashes of index.html's inline scripts, so the lane checks the app under it already.
import { createHash } from "node:crypto";
import http from "node:http";

export const REPORT_PATH = "/__csp-report";
/** A page with a blocked inline script: proves that violations reach the watch at all. */
export const PROBE_PATH = "/__csp-probe";

/** `'sha256-…'` for every inline `<script>` (one without `src`) in an HTML page, in order. */
export function inlineScriptHashes(html) {
  return [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (match) => `'sha256-${createHash("sha256").update(match[1], "utf8").digest("base64")}'`,
  );
}

/**
 * The policy issue 12 plans for every answer of the server. `img-src blob:` because photo thumbnails are
 * object URLs of the stored blobs (app/src/photos/section.rs); without it WebKit blocks them.
 */
export function plannedPolicy(indexHtml) {
  const scripts = ["'self'", "'wasm-unsafe-eval'", ...inlineScriptHashes(indexHtml)].join(" ");
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    "img-src 'self' blob:",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

/** One line per violation: where, which directive, what was blocked. */
function describe(report) {
  const body = report["csp-report"] || report.body || report;
  const directive = body["effective-directive"] || body.effectiveDirective || body["violated-directive"];
  const blocked = body["blocked-uri"] || body.blockedURL || "?";
  const where = body["document-uri"] || body.documentURL || "?";
  const line = body["line-number"] || body.lineNumber;
  return `${directive} blocked ${blocked} on ${where}${line ? `:${line}` : ""}`;
}

/** Starts the proxy in front of `serverUrl`. The app is then opened at the returned `url`. */
export async function startCspWatch(serverUrl) {
  const upstream = new URL(serverUrl);
  const index = await fetch(`${serverUrl}/`);
  const serverPolicy = index.headers.get("content-security-policy");
  const policy = serverPolicy || plannedPolicy(await index.text());
  const reports = [];

  const withReporting = (value) => `${value}; report-uri ${REPORT_PATH}`;
  const proxy = http.createServer(async (request, response) => {
    if (request.method === "POST" && request.url === REPORT_PATH) {
      const body = await readBody(request).catch(() => "");
      try {
        reports.push(JSON.parse(body));
      } catch {
        reports.push({ unparsed: body });
      }
      response.writeHead(204).end();
      return;
    }
    if (request.url === PROBE_PATH) {
      response.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": withReporting(policy),
      });
      response.end('<!doctype html><meta charset="utf-8"><title>probe</title><script>document.title = "ran";</script>');
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        const headers = { ...answer.headers };
        headers["content-security-policy"] = withReporting(headers["content-security-policy"] || policy);
        response.writeHead(answer.statusCode, answer.statusMessage, headers);
        answer.pipe(response);
      },
    );
    // The server is down: the browser sees the connection fail, as it would without the proxy.
    forward.on("error", () => response.destroy());
    request.pipe(forward);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    /** Where the policy in force comes from: "server" or "planned" (issue 12's, while the server sends none). */
    policySource: serverPolicy ? "server" : "planned",
    policy,
    /** Every violation reported so far, one readable line each. */
    violations: () => reports.map(describe),
    clear() {
      reports.length = 0;
    },
    stop() {
      proxy.closeAllConnections();
      return new Promise((resolve) => proxy.close(resolve));
    },
  };
}
