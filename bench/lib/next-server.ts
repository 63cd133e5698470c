/**
 * Starting the production build (`next start`) for a benchmark, and stopping it again.
 *
 * With `snapshot`, the build is copied first (without its cache) into a temporary project
 * folder that links back to node_modules and public/, so a `next build` someone runs in the
 * working tree meanwhile cannot pull the pages from under a long benchmark.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface NextServer {
  base: string;
  port: number;
  /** The build's id (.next/BUILD_ID) the server runs. */
  buildId: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartNextOptions {
  port: number;
  /** The environment of the server (on top of nothing: pass `{ ...process.env, … }` to inherit). */
  env: NodeJS.ProcessEnv;
  /** Serve a private copy of the build (see above). */
  snapshot?: boolean;
  /** The project folder holding .next (default: the current folder). */
  projectDir?: string;
  /** Paths that must answer 200 before the server counts as started (default /api/health, /sign-in). */
  readyPaths?: string[];
  timeoutMs?: number;
  /** Where the server's own output goes: "ignore" (default: stderr is inherited, stdout ignored) or a log function. */
  log?: (line: string) => void;
}

const NEXT_BIN = (projectDir: string) => path.join(projectDir, "node_modules", ".bin", "next");
/** The build folder: next.config.ts reads NEXT_DIST_DIR too, so a bench can serve its own build. */
const DIST_DIR = () => process.env.NEXT_DIST_DIR || ".next";

/** Copies the build into a temporary project folder; returns the folder. */
export function snapshotBuild(projectDir = process.cwd()): string {
  const buildDir = path.join(projectDir, DIST_DIR());
  if (!existsSync(path.join(buildDir, "BUILD_ID"))) throw new Error(`no production build in ${buildDir}: run \`npm run build\` first`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-bench-build-"));
  cpSync(buildDir, path.join(dir, DIST_DIR()), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => path.relative(buildDir, source).split(path.sep)[0] !== "cache",
  });
  for (const name of ["node_modules", "public", "package.json", "next.config.ts", "drizzle"]) {
    if (existsSync(path.join(projectDir, name))) symlinkSync(path.join(projectDir, name), path.join(dir, name));
  }
  return dir;
}

export async function startNextServer(options: StartNextOptions): Promise<NextServer> {
  const projectDir = options.projectDir ?? process.cwd();
  const base = `http://127.0.0.1:${options.port}`;
  const servedDir = options.snapshot ? snapshotBuild(projectDir) : projectDir;
  const buildId = readFileSync(path.join(servedDir, DIST_DIR(), "BUILD_ID"), "utf8").trim();
  // BENCH_PROFILE_DIR=… writes a V8 CPU profile of the server there when it stops (NODE_OPTIONS may not carry --cpu-prof).
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const startArgs = ["start", "-H", "127.0.0.1", "-p", String(options.port)];
  const server = spawn(profileDir ? process.execPath : NEXT_BIN(projectDir), profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir, NEXT_BIN(projectDir), ...startArgs] : startArgs, {
    cwd: servedDir,
    env: options.env,
    stdio: ["ignore", options.log ? "pipe" : "ignore", options.log ? "pipe" : "inherit"],
    detached: true,
  });
  if (options.log) {
    const log = options.log;
    for (const stream of [server.stdout, server.stderr]) {
      let pending = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) log(line);
      });
    }
  }
  let exited: number | null | undefined;
  server.once("exit", (code) => {
    exited = code;
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (server.pid && exited === undefined) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const deadline = Date.now() + 5000;
      while (exited === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (exited === undefined) {
        try {
          process.kill(-server.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    if (servedDir !== projectDir) rmSync(servedDir, { recursive: true, force: true });
  };

  const readyPaths = options.readyPaths ?? ["/api/health", "/sign-in"];
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`the server exited (status ${exited}) before it answered`);
      try {
        let ready = true;
        for (const p of readyPaths) if (!(await fetch(`${base}${p}`)).ok) ready = false;
        if (ready) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the server did not start within ${Math.round(timeoutMs / 1000)} s (did \`npm run build\` run?)`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, port: options.port, buildId, process: server, stop };
}
