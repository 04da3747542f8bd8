// The build's last step (tools/build-app.mjs): writes the service worker with this build's precache list and
// version, then stores brotli and gzip copies next to each text or wasm file for the server to send as-is.
//
//   node tools/finish-build.mjs DIR

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync, unlinkSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const stagingDir = process.argv[2];
if (!stagingDir) {
  console.error("finish-build: no build directory given");
  process.exit(2);
}
const swTemplate = fileURLToPath(new URL("../app/sw.js", import.meta.url));
const COMPRESSIBLE = /\.(js|wasm|css|html|svg|webmanifest|json)$/;

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

// Start from a clean slate: old compressed copies and an old worker are not part of this build.
for (const path of listFiles(stagingDir)) {
  if (/\.(br|gz)$/.test(path) || relative(stagingDir, path) === "sw.js") unlinkSync(path);
}

const shellFiles = listFiles(stagingDir)
  .map((path) => "/" + relative(stagingDir, path).split(sep).join("/"))
  .sort();

const versionHash = createHash("sha256");
for (const url of shellFiles) {
  versionHash.update(url);
  versionHash.update(readFileSync(join(stagingDir, url)));
}
// The same rule as the server's `web::has_content_hash`: "-" then 12 to 16 hex digits (tools/build-app.mjs writes 16),
// then "." or "_" or the end. Such files never change under their name, so the worker may take them from the HTTP
// cache or from the previous build's cache instead of downloading them again.
const CONTENT_HASH = /-[0-9a-fA-F]{12,16}(?=[._]|$)/;
const immutable = shellFiles.filter((url) => CONTENT_HASH.test(url.slice(url.lastIndexOf("/") + 1)));
const build = { version: versionHash.digest("hex").slice(0, 16), files: shellFiles, immutable };

const template = readFileSync(swTemplate, "utf8");
const marker = "self.__ZOUFANG_BUILD__";
if (!template.includes(marker)) {
  console.error(`finish-build: ${swTemplate} lacks ${marker}`);
  process.exit(2);
}
writeFileSync(join(stagingDir, "sw.js"), template.replace(marker, JSON.stringify(build)));

for (const path of listFiles(stagingDir)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const raw = readFileSync(path);
  const brotli = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gzip = gzipSync(raw, { level: 9 });
  if (brotli.length < raw.length) writeFileSync(path + ".br", brotli);
  if (gzip.length < raw.length) writeFileSync(path + ".gz", gzip);
}
console.log(`finish-build: service worker for build ${build.version} precaches ${build.files.length} files`);
