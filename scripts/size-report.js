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
const files = fs.readdirSync(pkg).filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
const rows = files.map((name) => {
  const data = fs.readFileSync(path.join(pkg, name));
  return {
    name,
    raw: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
console.log(`${"file".padEnd(24)}${"raw".padStart(11)}${"gzip".padStart(11)}${"brotli".padStart(11)}`);
for (const r of rows) console.log(`${r.name.padEnd(24)}${kib(r.raw)}${kib(r.gzip)}${kib(r.brotli)}`);
console.log(`${"first load (sum)".padEnd(24)}${kib(total.raw)}${kib(total.gzip)}${kib(total.brotli)}`);
