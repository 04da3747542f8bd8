// Content-Security-Policy violations as WebKit reports them, including those during page load (a blocked
// inline loader, wasm compilation refused), which a `securitypolicyviolation` listener injected after the load
// would miss. A small HTTP proxy sits between the browser and the real server, passes every request and
// answer through, and only adds `report-uri` to the policy so the browser posts each violation back to the
// proxy. The policy is the server's own: a page served without one fails the lane.
import http from "node:http";

export const REPORT_PATH = "/__csp-report";
/** A page with a blocked inline script: proves that violations reach the watch at all. */
export const PROBE_PATH = "/__csp-probe";

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
  if (!serverPolicy) throw new Error(`the server at ${serverUrl} sent no Content-Security-Policy with its page`);
  const policy = serverPolicy;
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
