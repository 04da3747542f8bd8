// Builds the web app into dist/: cargo (release, --cfg zoufang_split) → wasm-split (one main module and a chunk
// per lazily loaded screen, app/src/routes.rs) → wasm-bindgen → wasm-opt -Oz on every module → JS and CSS minified
// (esbuild) → hashed file names → index.html → the service worker and precompressed copies (tools/finish-build.mjs).
//
//   node tools/build-app.mjs                release build into dist/
//   DIST=/tmp/d node tools/build-app.mjs
//   node tools/build-app.mjs bare-leptos    scripts/bench-start's yardstick (bench/bare-leptos), the same steps
//                                           without splitting, into target/bare-leptos-dist
//
// Size A/Bs (compare with `node tools/bench-size.mjs DIST`; use another CARGO_TARGET_DIR so the usual build keeps
// its cache): CARGO_PROFILE_RELEASE_OPT_LEVEL=s for opt-level s instead of z; ERASE_COMPONENTS=0 to build without
// `--cfg erase_components`.
//
// Profiling: KEEP_NAMES=1 keeps the function names in every module (wasm-opt -g instead of --strip-debug), so a
// CPU profile of the page (PROFILE=1 node tools/bench-village.mjs) names Rust functions. Build it into another DIST.
//
// Tools come from PATH (scripts/setup installs them): cargo, wasm-split-cli, wasm-bindgen, and wasm-opt from
// npm's binaryen; esbuild from npm.

import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { availableParallelism, homedir } from "node:os";
import { transformSync } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const targetDir = process.env.CARGO_TARGET_DIR || join(root, "target");
const bare = process.argv[2] === "bare-leptos";
const NAME = bare ? "bare-leptos" : "zoufang-app";
const dist = process.env.DIST || (bare ? join(targetDir, "bare-leptos-dist") : join(root, "dist"));
const work = join(targetDir, `${NAME}-build`);
const cargoProject = bare
  ? ["--manifest-path", join(root, "bench/bare-leptos/Cargo.toml")]
  : ["-p", NAME];
const template = readFileSync(join(root, bare ? "bench/bare-leptos/index.html" : "app/index.html"), "utf8");
const styles = bare
  ? [join(root, "bench/bare-leptos/bare.css")]
  : ["main.css", "household.css", "night-school.css", "village.css"].map((name) => join(root, "style", name));
// The Rust target's default features (rustc 1.95, wasm32-unknown-unknown); wasm-opt must neither drop nor add any.
const WASM_FEATURES = [
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types",
];

function run(command, args, env = {}) {
  const started = Date.now();
  execFileSync(command, args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } });
  console.log(`build-app: ${basename(command)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function runAsync(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: root });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")}: ${code}`))));
  });
}

async function inPool(jobs, width) {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: width }, async () => {
    while (queue.length) await queue.shift()();
  }));
}

/** The JS or CSS as esbuild minifies it (whitespace, comments, local names; exports and property keys stay). */
function minify(code, loader) {
  return transformSync(code, { loader, minify: true, ...(loader === "js" ? { format: "esm" } : {}), logLevel: "error" })
    .code;
}

const hashOf = (...parts) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex").slice(0, 16);
};

// 1. The release wasm with relocations, which wasm-split needs to move functions between modules. These flags
//    replace the config's flags for the target, so `erase_components` (.cargo/config.toml) is repeated here.
//    Source paths in panic locations are cut to the crate's own path, so a build in another directory or on another
//    machine gives the same bytes, hence the same file names: an update then downloads only what changed.
const erase = process.env.ERASE_COMPONENTS === "0" ? [] : ["--cfg", "erase_components"];
const cargoHome = process.env.CARGO_HOME || join(homedir(), ".cargo");
const remap = [`--remap-path-prefix=${root}=`, `--remap-path-prefix=${join(cargoHome, "registry", "src")}=`];
run("cargo", [
  "build", "--release", "--target", "wasm32-unknown-unknown", ...cargoProject, "--bin", NAME,
], {
  CARGO_TARGET_DIR: targetDir,
  CARGO_ENCODED_RUSTFLAGS: [
    ...erase, ...remap, ...(bare ? [] : ["--cfg", "zoufang_split", "-Clink-args=--emit-relocs"]),
  ].join("\x1f"),
});
const cargoWasm = join(targetDir, "wasm32-unknown-unknown/release", `${NAME}.wasm`);

// 2. Split at the `#[lazy]` points: the main module for wasm-bindgen, one .wasm per chunk, and __wasm_split.js,
//    which loads the chunks and imports `initSync` from the main module's JS.
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
if (!bare) run("wasm-split-cli", [cargoWasm, work, "--out-name", NAME, "--target", "web"]);

// 3. JS bindings for the main module; the chunks share its memory and table through __wasm_split.js.
const bindgen = join(work, "bindgen");
run("wasm-bindgen", [
  "--target", "web", "--no-typescript", ...(bare ? [] : ["--keep-lld-exports", "--no-demangle"]),
  "--out-dir", bindgen, "--out-name", NAME, bare ? cargoWasm : join(work, `${NAME}.wasm`),
]);

// 4. wasm-opt every module, two at a time.
const staging = `${dist}.new`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const chunks = readdirSync(work).filter((name) => name.endsWith(".wasm") && name !== `${NAME}.wasm`).sort();
const optimised = join(work, "opt");
mkdirSync(optimised);
const modules = [[join(bindgen, `${NAME}_bg.wasm`), join(optimised, `${NAME}_bg.wasm`)]]
  .concat(chunks.map((name) => [join(work, name), join(optimised, name)]));
const names = process.env.KEEP_NAMES === "1" ? ["-g"] : ["--strip-debug"];
const optStarted = Date.now();
await inPool(
  modules.map(([input, output]) => () =>
    runAsync("wasm-opt", [...WASM_FEATURES, "-Oz", ...names, "--strip-producers", input, "-o", output])),
  Math.max(1, Math.min(2, availableParallelism())),
);
console.log(`build-app: wasm-opt of ${modules.length} modules ${((Date.now() - optStarted) / 1000).toFixed(1)} s`);

// 5. Hashed names. A chunk's name carries its own hash; the loader names the chunks, so its hash covers them.
//    The main JS and the loader import each other, so both carry one hash of the pair.
let loader = bare ? "" : minify(readFileSync(join(work, "__wasm_split.js"), "utf8"), "js");
for (const name of chunks) {
  const bytes = readFileSync(join(optimised, name));
  const hashed = name.replace(/\.wasm$/, `-${hashOf(bytes)}.wasm`);
  writeFileSync(join(staging, hashed), bytes);
  const reference = `"./${name}"`;
  if (!loader.includes(reference)) throw new Error(`build-app: __wasm_split.js does not load ${name}`);
  loader = loader.replaceAll(reference, `"./${hashed}"`);
}
const mainWasm = readFileSync(join(optimised, `${NAME}_bg.wasm`));
const mainWasmName = `${NAME}-${hashOf(mainWasm)}_bg.wasm`;
writeFileSync(join(staging, mainWasmName), mainWasm);

let glue = minify(readFileSync(join(bindgen, `${NAME}.js`), "utf8"), "js");
const pairHash = hashOf(glue, loader);
const glueName = `${NAME}-${pairHash}.js`;
const loaderName = `__wasm_split-${pairHash}.js`;
if (!bare) {
  // Only the module specifiers change: the key of the wasm's import object stays "./__wasm_split.js", the
  // import module name inside the main wasm.
  const loaderImport = /(from\s*['"])\.\/__wasm_split\.js(['"])/g;
  if (!loaderImport.test(glue)) throw new Error("build-app: the main JS does not import __wasm_split.js");
  glue = glue.replace(loaderImport, `$1./${loaderName}$2`);
  const mainImport = new RegExp(`(from\\s*['"])\\./${NAME}\\.js(['"])`);
  if (!mainImport.test(loader)) throw new Error(`build-app: __wasm_split.js does not import ${NAME}.js`);
  loader = loader.replace(mainImport, `$1./${glueName}$2`);
  writeFileSync(join(staging, loaderName), loader);
}
writeFileSync(join(staging, glueName), glue);

// 6. One stylesheet, minified.
const css = minify(styles.map((path) => readFileSync(path, "utf8")).join("\n"), "css");
const cssName = `style-${hashOf(css)}.css`;
writeFileSync(join(staging, cssName), css);

// 7. Static files and index.html.
if (!bare) cpSync(join(root, "public"), staging, { recursive: true });
const head = [
  `<link rel="stylesheet" href="/${cssName}" />`,
  `<link rel="modulepreload" href="/${glueName}" />`,
  ...(bare ? [] : [`<link rel="modulepreload" href="/${loaderName}" />`]),
  `<link rel="preload" href="/${mainWasmName}" as="fetch" type="application/wasm" crossorigin="anonymous" />`,
  `<script type="module">import init, * as bindings from "/${glueName}";`
    + ` await init({ module_or_path: "/${mainWasmName}" }); window.wasmBindings = bindings;</script>`,
].map((line) => `    ${line}\n`).join("");
if (!template.includes("<!-- build: head -->")) throw new Error("build-app: index.html lacks <!-- build: head -->");
writeFileSync(join(staging, "index.html"), template.replace(/ *<!-- build: head -->\n/, head));

run("node", [join(root, "tools/finish-build.mjs"), staging]);
rmSync(dist, { recursive: true, force: true });
renameSync(staging, dist);
const files = readdirSync(dist).filter((name) => name.endsWith(".wasm"));
console.log(`build-app: ${dist}: main module ${mainWasmName} and ${files.length - 1} chunks`);
if (!existsSync(join(dist, "sw.js"))) throw new Error("build-app: no service worker written");
