// Size benchmark of the release build: raw, gzip (-9) and brotli (q11) bytes of the wasm, js and css
// that a phone downloads, and the share of the wasm code each crate accounts for. TOP=n also lists the n biggest
// functions, generic ones with all their copies together (what `twiggy top` would show).
//
//   node tools/bench-size.mjs [dist] [cargo's release wasm]
//
// The per-crate shares come from the function names in cargo's output (before wasm-bindgen and
// wasm-opt), so they are proportions of the code, not exact shipped bytes.

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = process.argv[2] || "dist";
const cargoWasm = process.argv[3] || "target/wasm32-unknown-unknown/release/zoufang-app.wasm";

const rows = [];
for (const name of readdirSync(dist).sort()) {
  const kind = name.endsWith(".wasm") ? "wasm" : name.endsWith(".js") ? "js" : name.endsWith(".css") ? "css" : null;
  if (!kind || name === "sw.js") continue;
  const raw = readFileSync(join(dist, name));
  const gzip = gzipSync(raw, { level: 9 }).length;
  const brotli = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  rows.push({ kind, name, raw: raw.length, gzip, brotli });
}
if (rows.length === 0) {
  console.error(`no wasm/js/css in ${dist}: build first (scripts/build-app)`);
  process.exit(2);
}
const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(8);
console.log("file".padEnd(44) + "raw KB".padStart(8) + "gzip KB".padStart(9) + "  br KB");
for (const row of rows) console.log(row.name.padEnd(44) + kb(row.raw) + " " + kb(row.gzip) + kb(row.brotli));
const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }), { raw: 0, gzip: 0, brotli: 0 });
console.log("total (wasm + js + css)".padEnd(44) + kb(total.raw) + " " + kb(total.gzip) + kb(total.brotli));
console.log(`budget: 200 KB brotli → ${total.brotli <= 200 * 1024 ? "within" : "OVER"} (${kb(total.brotli).trim()} KB)`);

if (!existsSync(cargoWasm)) process.exit(0);

// Minimal wasm reader: function body sizes from the code section, names from the "name" section.
const bytes = readFileSync(cargoWasm);
let offset = 8;
const leb = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[offset++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return result;
};
let importedFunctions = 0;
const bodySizes = [];
const names = new Map();
while (offset < bytes.length) {
  const id = bytes[offset++];
  const size = leb();
  const end = offset + size;
  if (id === 2) {
    for (let count = leb(), i = 0; i < count; i++) {
      for (let part = 0; part < 2; part++) offset += leb();
      const kind = bytes[offset++];
      if (kind === 0) { leb(); importedFunctions++; }
      else if (kind === 1) { offset++; const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 3) { offset += 2; }
      else if (kind === 4) { offset++; leb(); }
    }
  } else if (id === 10) {
    for (let count = leb(), i = 0; i < count; i++) { const bodySize = leb(); bodySizes.push(bodySize); offset += bodySize; }
  } else if (id === 0) {
    const nameLength = leb();
    const sectionName = bytes.subarray(offset, offset + nameLength).toString();
    offset += nameLength;
    if (sectionName === "name") {
      while (offset < end) {
        const sub = bytes[offset++];
        const subSize = leb();
        const subEnd = offset + subSize;
        if (sub === 1) {
          for (let count = leb(), i = 0; i < count; i++) {
            const index = leb();
            const length = leb();
            names.set(index, bytes.subarray(offset, offset + length).toString());
            offset += length;
          }
        }
        offset = subEnd;
      }
    }
  }
  offset = end;
}
const demangle = (text) =>
  text
    .replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ").replace(/\$RF\$/g, "&")
    .replace(/\$u7b\$/g, "{").replace(/\$u7d\$/g, "}").replace(/\$LP\$/g, "(").replace(/\$RP\$/g, ")")
    .replace(/\$C\$/g, ",").replace(/\$BP\$/g, "*").replace(/\$u5b\$/g, "[").replace(/\$u5d\$/g, "]")
    .replace(/\.\./g, "::");
const crateOf = (name) => {
  if (name.startsWith("__wbindgen_describe")) return "(wasm-bindgen descriptors: removed by wasm-bindgen)";
  const mangled = /^_ZN(\d+)/.exec(name);
  let path = name;
  if (mangled) path = name.slice(mangled[0].length, mangled[0].length + Number(mangled[1]));
  path = demangle(path).replace(/^_/, "");
  // "<Type as Trait>::method": the type's crate, unless the type is generic (T, &T, [T]): then the trait's.
  const qualified = /^<(.*?) as ([^<>]*?)(<.*)?>/.exec(path);
  if (qualified) {
    const selfType = qualified[1].replace(/^[&*\[\s]*(mut )?/, "");
    path = /^[A-Z]\b|^[A-Z]$|^\(|^dyn /.test(selfType) || !selfType.includes("::") ? qualified[2] : selfType;
  }
  const dropped = /^core::ptr::drop_in_place<[&*\s]*(?:mut )?([a-z_0-9]+)::/.exec(path);
  if (dropped) return dropped[1];
  path = path.replace(/^<+/, "");
  const crate = path.split(/::|\[|<| /)[0].trim();
  return crate || "(other)";
};
const byCrate = new Map();
let codeTotal = 0;
bodySizes.forEach((size, i) => {
  const crate = crateOf(names.get(importedFunctions + i) || "(unnamed)");
  if (crate.startsWith("(wasm-bindgen descriptors")) return;
  byCrate.set(crate, (byCrate.get(crate) || 0) + size);
  codeTotal += size;
});
console.log(`\nwasm code by crate (share of ${(codeTotal / 1024).toFixed(0)} KB before wasm-bindgen/wasm-opt; generic std code counts as core/alloc):`);
[...byCrate.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).forEach(([crate, size]) => {
  console.log(`  ${crate.padEnd(28)} ${(100 * size / codeTotal).toFixed(1).padStart(5)} %`);
});

// With TOP=n: the n biggest generic functions, all their copies counted together (monomorphisation: one
// `serde::de::...::deserialize<T>` per T), and the n biggest single functions — what `twiggy top` would show.
const top = Number(process.env.TOP || 0);
if (top > 0) {
  const readable = (index) => {
    const name = names.get(importedFunctions + index) || "(unnamed)";
    const mangled = /^_ZN(.*)17h[0-9a-f]{16}E$/.exec(name);
    if (!mangled) return demangle(name);
    const parts = [];
    for (let rest = mangled[1], match; (match = /^(\d+)/.exec(rest)); ) {
      const length = Number(match[1]);
      parts.push(rest.slice(match[1].length, match[1].length + length));
      rest = rest.slice(match[1].length + length);
    }
    return demangle(parts.join("::"));
  };
  const generic = (name) => name.replace(/<[^<>]*(<[^<>]*(<[^<>]*>[^<>]*)*>[^<>]*)*>/g, "<…>");
  const groups = new Map();
  const singles = [];
  bodySizes.forEach((size, i) => {
    const name = readable(i);
    if (name.startsWith("__wbindgen_describe")) return;
    singles.push([name, size]);
    const key = generic(name);
    const group = groups.get(key) || { size: 0, copies: 0 };
    group.size += size;
    group.copies += 1;
    groups.set(key, group);
  });
  const line = (name, size, extra = "") =>
    console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB ${(100 * size / codeTotal).toFixed(1).padStart(5)} % ${extra}${name.slice(0, 150)}`);
  console.log(`\nbiggest generic functions, all copies together (of ${(codeTotal / 1024).toFixed(0)} KB code):`);
  [...groups.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, top)
    .forEach(([name, group]) => line(name, group.size, `×${String(group.copies).padEnd(4)} `));
  console.log(`\nbiggest single functions:`);
  singles.sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([name, size]) => line(name, size));
}
