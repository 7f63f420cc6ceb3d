// Prints raw, gzip and brotli sizes of the release bundle: what a phone downloads
// on its first visit. Usage: node scripts/size-report.js [site-root]
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const siteRoot = process.argv[2] ?? "target/site";
const pkg = path.join(siteRoot, "pkg");
if (!fs.existsSync(pkg)) {
  console.error(`no bundle at ${pkg}: build the release first (make build)`);
  process.exit(1);
}
// The first load is the main module (academy.js, academy.wasm, the styles and the
// split loader); the staff pages are chunks of their own (`cargo leptos build
// --split`), fetched only when a staff page is first opened.
const files = fs.readdirSync(pkg).filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
const isFirstLoad = (name) => /^academy\.(wasm|js|css)$/.test(name) || name.startsWith("__wasm_split");
const rows = files.map((name) => {
  const data = fs.readFileSync(path.join(pkg, name));
  return {
    name,
    first: isFirstLoad(name),
    raw: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
});
const sum = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
const line = (name, r) => console.log(`${name.slice(0, 40).padEnd(42)}${kib(r.raw)}${kib(r.gzip)}${kib(r.brotli)}`);
console.log(`${"file".padEnd(42)}${"raw".padStart(11)}${"gzip".padStart(11)}${"brotli".padStart(11)}`);
for (const r of rows.filter((r) => r.first)) line(r.name, r);
const first = sum(rows.filter((r) => r.first));
line("first load (sum)", first);
const chunks = rows.filter((r) => !r.first);
if (chunks.length > 0) {
  const all = sum(chunks);
  const largest = chunks.reduce((a, b) => (b.brotli > a.brotli ? b : a));
  line(`lazy chunks (${chunks.length}, sum)`, all);
  line(`largest chunk: ${largest.name}`, largest);
}
