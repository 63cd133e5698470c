import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The app's own route list, read from the file system the way Next's App Router reads it, so
 * that tests which must cover "every page, every route handler, every server action" (the
 * fuzz run, the response-header check, the cross-site check) cannot silently miss one that
 * is added later: a new app/**\/page.tsx is in the list the moment it exists.
 *
 *   const routes = appRoutes();
 *   routes.pages          // [{ file: "app/portal/requests/[id]/page.tsx", pattern: "/portal/requests/[id]", params: ["id"], … }]
 *   routes.handlers       // [{ file: "app/api/health/route.ts", pattern: "/api/health", methods: ["GET"], runtime: "edge", … }]
 *   routes.actions        // [{ file: "app/reset/actions.ts", exports: ["askForReset", "chooseNewSecret"], hostPages: ["/reset", "/reset/[token]"], … }]
 *   fillPattern("/portal/requests/[id]", { id: "42" })   // "/portal/requests/42"
 *
 * Folder conventions honoured: route groups "(x)" add no segment; private folders "_x" and
 * parallel-route slots "@x" hold no routes of their own; "[x]" is a dynamic segment,
 * "[...x]" a catch-all, "[[...x]]" an optional catch-all.
 */

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export type SegmentKind = "static" | "dynamic" | "catch-all" | "optional-catch-all";
export interface Segment {
  /** The folder name as written, e.g. "[id]". */
  readonly raw: string;
  readonly kind: SegmentKind;
  /** The parameter name for a dynamic segment ("id"); the literal text for a static one. */
  readonly name: string;
}

interface RouteBase {
  /** Path relative to the repository root, with forward slashes. */
  readonly file: string;
  /** The URL pattern, with dynamic segments as written: "/staff/organisations/[id]/cases/[caseId]". */
  readonly pattern: string;
  readonly segments: readonly Segment[];
  /** The names of the dynamic segments, in order. */
  readonly params: readonly string[];
  readonly dynamic: boolean;
}

export interface PageRoute extends RouteBase {
  readonly kind: "page";
}

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
const MUTATING: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface RouteHandler extends RouteBase {
  readonly kind: "route";
  /** The HTTP methods the file exports (as `export function GET` or `export const POST = …`). */
  readonly methods: readonly HttpMethod[];
  /** True when any exported method can change state (POST, PUT, PATCH, DELETE). */
  readonly mutating: boolean;
  /** `export const runtime = "edge" | "nodejs"`, when the file says. */
  readonly runtime: "edge" | "nodejs" | undefined;
}

export interface ServerActionFile {
  readonly kind: "actions";
  readonly file: string;
  /** The exported functions: each is a server action a browser can call by its action ID. */
  readonly exports: readonly string[];
  /**
   * The URL patterns of the pages whose module graph (inside app/) imports this file, directly
   * or through a component: the pages that render a form posting to these actions.
   */
  readonly hostPages: readonly string[];
  /** Layouts that import it (their actions are on every page below them), as layout files. */
  readonly hostLayouts: readonly string[];
}

export interface AppRoutes {
  readonly pages: readonly PageRoute[];
  readonly handlers: readonly RouteHandler[];
  readonly actions: readonly ServerActionFile[];
}

const toPosix = (p: string): string => p.split(path.sep).join("/");

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

export function parseSegment(raw: string): Segment {
  let match = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(raw);
  if (match?.[1]) return { raw, kind: "optional-catch-all", name: match[1] };
  match = /^\[\.\.\.([^\]]+)\]$/.exec(raw);
  if (match?.[1]) return { raw, kind: "catch-all", name: match[1] };
  match = /^\[([^\]]+)\]$/.exec(raw);
  if (match?.[1]) return { raw, kind: "dynamic", name: match[1] };
  return { raw, kind: "static", name: raw };
}

/** The URL segments of a route file's folder, or undefined if the folder is private (not routable). */
function routeSegments(relativeDir: string): Segment[] | undefined {
  const folders = relativeDir === "" ? [] : relativeDir.split("/");
  const segments: Segment[] = [];
  for (const folder of folders) {
    if (folder.startsWith("_")) return undefined; // private folder: never a route
    if (folder.startsWith("(") && folder.endsWith(")")) continue; // route group
    if (folder.startsWith("@")) continue; // parallel-route slot: no URL segment
    segments.push(parseSegment(folder));
  }
  return segments;
}

const patternOf = (segments: readonly Segment[]): string => "/" + segments.map((s) => s.raw).join("/");

/** Removes comments so that a commented-out `export function POST` or "use server" is not counted. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** A module-level "use server" directive: the first statement of the file. */
export function hasUseServerDirective(source: string): boolean {
  return /^\s*(["'])use server\1\s*;?/.test(stripComments(source));
}

/** Exported function names: `export [async] function x`, `export const x =`, `export { x, y as z }`. */
export function exportedNames(source: string): string[] {
  const code = stripComments(source);
  const names = new Set<string>();
  for (const m of code.matchAll(/^export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of code.matchAll(/^export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of code.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && name !== "default") names.add(name);
    }
  }
  return [...names];
}

function handlerMethods(source: string): HttpMethod[] {
  const names = new Set(exportedNames(source));
  return HTTP_METHODS.filter((m) => names.has(m));
}

function handlerRuntime(source: string): "edge" | "nodejs" | undefined {
  const m = /^export\s+const\s+runtime\s*=\s*["'](edge|nodejs)["']/m.exec(stripComments(source));
  return m?.[1] as "edge" | "nodejs" | undefined;
}

const SOURCE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs"];

/** Resolves an import specifier (relative or "@/…") to a file under the repository, if it is one. */
function resolveImport(fromFile: string, specifier: string, root: string): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
  else return undefined;
  const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => path.join(base, "index" + e))];
  const stripped = base.replace(/\.(js|mjs|jsx)$/, "");
  if (stripped !== base) candidates.push(...SOURCE_EXTENSIONS.map((e) => stripped + e));
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate; try the next
    }
  }
  return undefined;
}

function importsOf(file: string, source: string, root: string): string[] {
  const code = stripComments(source);
  const out: string[] = [];
  for (const m of code.matchAll(/(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g)) {
    const specifier = m[1] ?? m[2] ?? m[3];
    if (!specifier) continue;
    const resolved = resolveImport(file, specifier, root);
    if (resolved) out.push(resolved);
  }
  return out;
}

/**
 * Enumerates the app's pages, route handlers and server-action files.
 * @param root the repository root (the folder holding app/); defaults to this repository.
 */
export function appRoutes(root: string = repoRoot): AppRoutes {
  const appDir = path.join(root, "app");
  const files = walk(appDir).filter((f) => SOURCE_EXTENSIONS.includes(path.extname(f)));
  const sources = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));

  const pages: PageRoute[] = [];
  const handlers: RouteHandler[] = [];
  const layouts: string[] = [];
  for (const file of files) {
    const base = path.basename(file).replace(/\.(tsx|ts|jsx|js|mjs)$/, "");
    const dir = toPosix(path.relative(appDir, path.dirname(file)));
    if (base === "layout") layouts.push(file);
    if (base !== "page" && base !== "route") continue;
    const segments = routeSegments(dir);
    if (!segments) continue;
    const params = segments.filter((s) => s.kind !== "static").map((s) => s.name);
    const common = { file: toPosix(path.relative(root, file)), pattern: patternOf(segments), segments, params, dynamic: params.length > 0 };
    if (base === "page") {
      pages.push({ kind: "page", ...common });
    } else {
      const source = sources.get(file) ?? "";
      const methods = handlerMethods(source);
      handlers.push({ kind: "route", ...common, methods, mutating: methods.some((m) => MUTATING.has(m)), runtime: handlerRuntime(source) });
    }
  }

  // The module graph inside the repository, to find which pages render which actions.
  const graph = new Map<string, string[]>();
  const importsFor = (file: string): string[] => {
    let edges = graph.get(file);
    if (!edges) {
      const source = sources.get(file) ?? safeRead(file);
      edges = source === undefined ? [] : importsOf(file, source, root);
      graph.set(file, edges);
    }
    return edges;
  };
  const reachable = (start: string): Set<string> => {
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length > 0) {
      for (const next of importsFor(stack.pop()!)) {
        if (!seen.has(next) && !next.includes(`${path.sep}node_modules${path.sep}`)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return seen;
  };
  const pageReach = pages.map((p) => ({ page: p, files: reachable(path.join(root, p.file)) }));
  const layoutReach = layouts.map((l) => ({ layout: l, files: reachable(l) }));

  // Server-action files may live outside app/ too (a lib/… module with "use server").
  const actionCandidates = new Set<string>(files);
  for (const { files: reach } of [...pageReach, ...layoutReach]) for (const f of reach) actionCandidates.add(f);
  const actions: ServerActionFile[] = [];
  for (const file of [...actionCandidates].sort()) {
    const source = sources.get(file) ?? safeRead(file);
    if (source === undefined || !hasUseServerDirective(source)) continue;
    actions.push({
      kind: "actions",
      file: toPosix(path.relative(root, file)),
      exports: exportedNames(source),
      hostPages: pageReach.filter((p) => p.files.has(file)).map((p) => p.page.pattern),
      hostLayouts: layoutReach.filter((l) => l.files.has(file)).map((l) => toPosix(path.relative(root, l.layout))),
    });
  }

  const byPattern = <T extends { pattern: string }>(a: T, b: T): number => a.pattern.localeCompare(b.pattern);
  return { pages: pages.sort(byPattern), handlers: handlers.sort(byPattern), actions };
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The repository files a module imports, directly or through others (relative and "@/"
 * imports; packages left out), as repository-relative paths, the module itself included.
 * Used to prove what a route handler or page runs, e.g. that every mutating handler reaches
 * the same-origin check.
 */
export function moduleReach(file: string, root: string = repoRoot): Set<string> {
  const start = path.resolve(root, file);
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const source = safeRead(current);
    if (source === undefined) continue;
    for (const next of importsOf(current, source, root)) {
      if (!seen.has(next) && !next.includes(`${path.sep}node_modules${path.sep}`)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return new Set([...seen].map((f) => toPosix(path.relative(root, f))));
}

/**
 * A concrete path for a pattern: each dynamic segment from `params` (a catch-all takes an
 * array); an optional catch-all without a value is dropped. Values are URL-encoded.
 */
export function fillPattern(pattern: string, params: Readonly<Record<string, string | readonly string[]>> = {}): string {
  const parts: string[] = [];
  for (const raw of pattern.split("/").filter(Boolean)) {
    const segment = parseSegment(raw);
    if (segment.kind === "static") {
      parts.push(raw);
      continue;
    }
    const value = params[segment.name];
    if (value === undefined) {
      if (segment.kind === "optional-catch-all") continue;
      throw new Error(`fillPattern: no value for [${segment.name}] in ${pattern}`);
    }
    const values = typeof value === "string" ? [value] : value;
    parts.push(values.map(encodeURIComponent).join("/"));
  }
  return "/" + parts.join("/");
}

/** True when a concrete pathname matches a pattern from the list. */
export function matchesPattern(pattern: string, pathname: string): boolean {
  const want = pattern.split("/").filter(Boolean).map(parseSegment);
  const got = pathname.split("/").filter(Boolean);
  let i = 0;
  for (const segment of want) {
    if (segment.kind === "catch-all") return got.length > i;
    if (segment.kind === "optional-catch-all") return true;
    const part = got[i++];
    if (part === undefined) return false;
    if (segment.kind === "static" && part !== segment.raw) return false;
  }
  return i === got.length;
}
