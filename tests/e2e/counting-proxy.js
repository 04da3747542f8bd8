// A pass-through HTTP proxy in front of the server that counts the requests reaching it by path, so a test
// can tell what the browser really downloaded (an answer from the HTTP cache or a service-worker cache never
// gets here).
import { createServer, request } from "node:http";

// `beforeForwarding(path)`, when given, is awaited before a request goes on to the server (a slow link, or a request
// held back while the server restarts). `targetUrl` may list several servers: requests then go to each in turn (a
// load balancer in front of several instances).
export async function startCountingProxy(targetUrl, { beforeForwarding } = {}) {
  const targets = (Array.isArray(targetUrl) ? targetUrl : [targetUrl]).map((url) => new URL(url));
  const hits = new Map();
  const perTarget = targets.map(() => new Map());
  let next = 0;
  const server = createServer(async (incoming, outgoing) => {
    const path = new URL(incoming.url, targets[0]).pathname;
    hits.set(path, (hits.get(path) || 0) + 1);
    const chosen = next;
    next = (next + 1) % targets.length;
    const target = targets[chosen];
    perTarget[chosen].set(path, (perTarget[chosen].get(path) || 0) + 1);
    if (beforeForwarding) await beforeForwarding(path);
    const upstream = request(
      { host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** How many requests for `path` reached the server. */
    hits: (path) => hits.get(path) || 0,
    /** Every path seen, with its count. */
    all: () => Object.fromEntries(hits),
    /** How many requests for `path` went to the `index`th server. */
    hitsAt: (index, path) => perTarget[index].get(path) || 0,
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections();
      server.close(resolveClose);
    }),
  };
}
