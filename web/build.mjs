// Bundles the browser entries in src/ into static/dist/ with esbuild.
// Libraries come from node_modules (installed from the npm registry via
// package-lock.json) — nothing third-party is copied into the repo.
//
// Usage: npm run build   (or: node build.mjs)
import { build } from "esbuild";
import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const outdir = join(here, "static", "dist");
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  format: "iife",
  target: ["es2019", "chrome90"],
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  absWorkingDir: here,
  define: { "process.env.NODE_ENV": '"production"' },
};

async function main() {
  const t0 = performance.now();
  await mkdir(outdir, { recursive: true });

  const results = await Promise.all([
    // Page bundles.
    build({
      ...common,
      entryPoints: [
        "login.js", "officer.js", "citizen.js", "supervisor.js", "register.js", "reset.js", "account.js", "admin.js",
        "requests.js", "request_new.js", "preferences.js",
      ].map((f) => join(src, f)),
      outdir,
      platform: "browser",
    }),
    // Service worker: built on its own (no shared chunks, own global scope),
    // served from static/dist/sw.js.
    build({
      ...common,
      entryPoints: [join(src, "sw.js")],
      outfile: join(outdir, "sw.js"),
      platform: "browser",
    }),
  ]);

  // axe-core is only used by the browser (accessibility) tests.
  const axeSrc = require.resolve("axe-core/axe.min.js");
  const axeDst = join(outdir, "axe.min.js");
  await copyFile(axeSrc, axeDst);

  const outputs = results.flatMap((r) => Object.keys(r.metafile.outputs)).map((p) => join(here, p));
  outputs.push(axeDst);
  for (const file of outputs.sort()) {
    const { size } = await stat(file);
    console.log(`${relative(here, file).padEnd(28)} ${(size / 1024).toFixed(1).padStart(8)} KiB  (${size} B)`);
  }
  console.log(`built in ${Math.round(performance.now() - t0)} ms`);
}

main().catch((err) => {
  // esbuild already printed the detailed diagnostics.
  console.error(err && err.message ? err.message : err);
  process.exit(1);
});
