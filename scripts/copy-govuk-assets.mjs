// Copies GOV.UK Frontend's built stylesheet and assets into public/ (run before dev and build).
//
// Importing govuk-frontend's CSS through Next's bundler fails on an old IE hack, so the
// built file is served as a static file instead, linked from app/layout.tsx.
//
// The GDS Transport font and the crown / royal coat of arms are for GOV.UK itself only: the
// font files and the crest, crown favicons and icons are not copied, and the stylesheet is
// rewritten so that it neither declares the font nor points at any file that is left out.
// The check at the end fails the build if a future govuk-frontend brings a reference back.
import { cp, mkdir, readdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const frontend = path.join(path.dirname(require.resolve("govuk-frontend/package.json")), "dist", "govuk");

/** The font stack used in place of GDS Transport; public/portal.css uses the same one. */
const systemFonts = 'system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif';

/** Files and folders under dist/govuk/assets that carry GOV.UK's branding. */
const excluded = [
  /^fonts(\/|$)/, // GDS Transport
  /crest/i, // the royal coat of arms
  /crown/i,
  /favicon/i, // the crown, as favicon and app icons
  /govuk-icon/i,
  /opengraph/i,
  /^manifest\.json$/, // lists only the crown icons above
];

async function main() {
  const outCss = path.join(root, "public", "govuk");
  const outAssets = path.join(root, "public", "assets");
  // Start clean, so nothing excluded survives from an earlier run.
  await rm(outCss, { recursive: true, force: true });
  await rm(outAssets, { recursive: true, force: true });
  await mkdir(outCss, { recursive: true });

  const source = await readFile(path.join(frontend, "govuk-frontend.min.css"), "utf8");
  const css = rewriteStylesheet(source);
  await writeFile(path.join(outCss, "govuk-frontend.min.css"), css);

  const assetsDir = path.join(frontend, "assets");
  const copied = [];
  await cp(assetsDir, outAssets, {
    recursive: true,
    filter: (from) => {
      const relative = path.relative(assetsDir, from).split(path.sep).join("/");
      if (relative === "") return true;
      const keep = !excluded.some((pattern) => pattern.test(relative) || pattern.test(path.basename(relative)));
      if (keep && path.extname(relative)) copied.push(relative);
      return keep;
    },
  });

  // A folder whose every file was left out (images/, today) would be copied empty: drop it.
  await removeEmptyFolders(outAssets);

  process.stdout.write(
    `govuk-frontend ${await frontendVersion()}: public/govuk/govuk-frontend.min.css (${css.length} bytes, GDS Transport and crest removed); ` +
      `public/assets: ${copied.length ? copied.join(", ") : "nothing (every asset is GOV.UK-branded)"}\n`,
  );
}

/** Removes the folders under `dir` (and `dir` itself) that hold no file; true when `dir` went. */
async function removeEmptyFolders(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  let left = entries.length;
  for (const entry of entries) {
    if (entry.isDirectory() && (await removeEmptyFolders(path.join(dir, entry.name)))) left -= 1;
  }
  if (left > 0) return false;
  await rmdir(dir);
  return true;
}

/** Removes the GDS Transport font faces, swaps the font for the system stack, drops the crest. */
function rewriteStylesheet(source) {
  let css = source
    // The licence comment that precedes the font faces names the font; drop it with them.
    .replace(/\/\*![^*]*\*+(?:[^/*][^*]*\*+)*\/(?=@font-face\{font-family:"?GDS Transport)/g, "")
    .replace(/@font-face\{[^}]*GDS Transport[^}]*\}/g, "")
    .replace(/"?GDS Transport"?,\s*arial,\s*sans-serif/gi, systemFonts)
    .replace(/"?GDS Transport"?/gi, systemFonts)
    .replace(/url\(["']?\/assets\/images\/govuk-crest\.svg["']?\)/g, "none")
    // The source map is not copied.
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "");

  const leftovers = ["GDS Transport", "/assets/fonts/", "govuk-crest"].filter((needle) => css.includes(needle));
  if (leftovers.length) {
    throw new Error(`copy-govuk-assets: the stylesheet still references ${leftovers.join(", ")}; update rewriteStylesheet()`);
  }
  for (const match of css.matchAll(/url\(["']?(\/assets\/[^"')]+)/g)) {
    const relative = match[1].slice("/assets/".length);
    if (excluded.some((pattern) => pattern.test(relative) || pattern.test(path.basename(relative)))) {
      throw new Error(`copy-govuk-assets: the stylesheet references ${match[1]}, which is not copied`);
    }
  }
  css = css.trimEnd() + "\n";
  return css;
}

async function frontendVersion() {
  const pkg = JSON.parse(await readFile(path.join(frontend, "..", "..", "package.json"), "utf8"));
  return pkg.version;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
