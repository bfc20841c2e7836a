// Bundles the browser entries in src/ (and the shared style sheets in static/) into
// static/dist/ with esbuild. Libraries come from node_modules (installed from the npm
// registry via package-lock.json) — nothing third-party is copied into the repo.
//
// Every page gets its own bundle holding only what that page imports, named with a
// hash of its content (`officer-5XKQ2ZJN.js`): such names never change meaning, so
// the hub serves them as immutable for a year (web/routes.py). `dist/manifest.json`
// maps each logical name (`officer.js`, `officer.css`, `app.css`) to its hashed file;
// web/pages.py rewrites the templates' references through it. The service worker
// keeps its fixed name (`sw.js`): browsers look for it at one URL.
//
// Usage: npm run build   (or: node build.mjs)
import { build } from "esbuild";
import { readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const outdir = join(here, "static", "dist");

const PAGES = [
  "login", "officer", "citizen", "supervisor", "register", "reset", "account", "admin", "ajukan",
  "requests", "request_new", "preferences", "reports",
];
const STYLES = ["app.css", "admin.css"];

/** Packages whose modules only define things: a page that never calls `connect()`
 * (common.js) leaves the whole socket client out of its bundle. Their package.json
 * files do not say so (no "sideEffects"), so the build does. */
const PURE = ["socket.io-client", "engine.io-client", "socket.io-parser", "engine.io-parser", "@socket.io/component-emitter", "debug", "ms"];
const pureDirs = PURE.map((name) => `${sep}node_modules${sep}${name.split("/").join(sep)}${sep}`);

const pureLibraries = {
  name: "pure-libraries",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "pure-libraries") return undefined;
      const inLibrary = pureDirs.some((d) => (args.importer || "").includes(d));
      if (!inLibrary && !PURE.some((name) => args.path === name || args.path.startsWith(`${name}/`))) return undefined;
      const found = await b.resolve(args.path, {
        kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "pure-libraries",
      });
      if (found.errors.length) return { errors: found.errors };
      return { ...found, sideEffects: !pureDirs.some((d) => found.path.includes(d)) };
    });
  },
};

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

/** Logical name → hashed file name, from the metafile of the page build. */
function manifestOf(metafile) {
  const out = {};
  for (const [file, meta] of Object.entries(metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const entry = basename(meta.entryPoint);
    out[entry] = basename(file);
    if (meta.cssBundle) out[`${basename(entry, extname(entry))}.css`] = basename(meta.cssBundle);
  }
  return out;
}

async function main() {
  const t0 = performance.now();
  const [pages, worker] = await Promise.all([
    build({
      ...common,
      entryPoints: [...PAGES.map((p) => join(src, `${p}.js`)), ...STYLES.map((s) => join(here, "static", s))],
      outdir,
      entryNames: "[name]-[hash]",
      platform: "browser",
      plugins: [pureLibraries],
    }),
    // Service worker: built on its own (own global scope), fixed name, served as /sw.js.
    build({ ...common, entryPoints: [join(src, "sw.js")], outfile: join(outdir, "sw.js"), platform: "browser" }),
  ]);
  const manifest = manifestOf(pages.metafile);
  await writeFile(join(outdir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);

  // Drop the files of earlier builds (a running hub keeps serving its own until then).
  const outputs = new Set(
    [pages, worker].flatMap((r) => Object.keys(r.metafile.outputs)).map((p) => basename(p)),
  );
  for (const name of await readdir(outdir)) {
    if (!outputs.has(name) && name !== "manifest.json" && !name.startsWith(".")) await rm(join(outdir, name));
  }
  for (const name of [...outputs].sort()) {
    const { size } = await stat(join(outdir, name));
    console.log(`${relative(here, join(outdir, name)).padEnd(36)} ${(size / 1024).toFixed(1).padStart(8)} KiB  (${size} B)`);
  }
  console.log(`built in ${Math.round(performance.now() - t0)} ms`);
}

main().catch((err) => {
  // esbuild already printed the detailed diagnostics.
  console.error(err && err.message ? err.message : err);
  process.exit(1);
});
