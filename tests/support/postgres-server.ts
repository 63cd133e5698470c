import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway PostgreSQL server for the integration tests: a fresh cluster in a temporary
 * folder, listening on a free loopback port, fsync off, removed again when the tests end.
 *
 * initdb and postgres refuse to run as root, so as root every server command runs as the
 * `postgres` user through runuser (the folder is handed to that user); as any other user the
 * commands run directly and the cluster belongs to that user.
 */

/** The major version the product supports on a server; Debian 12 ships it. */
export const POSTGRES_MAJOR = "15";

export interface PostgresServer {
  /** A superuser URL for the `postgres` maintenance database. */
  url: string;
  port: number;
  /** The temporary folder holding the cluster, its socket and its log. */
  dir: string;
  /** The major version of the binaries that run it. */
  version: string;
  /** Builds a URL for another database on this server, as the `postgres` superuser. */
  urlFor(database: string): string;
  /**
   * Stops the server (fast: clients are disconnected, as in a restart or failover; immediate:
   * as in a crash), waits `downMs`, and starts it again on the same port with the same data —
   * for tests that show the portal reconnects by itself.
   */
  restart(options?: { downMs?: number; mode?: "fast" | "immediate" }): Promise<void>;
  stop(): Promise<void>;
}

export type PostgresAvailability = { ok: true; binDir: string; version: string } | { ok: false; reason: string };

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * Where the server binaries are: PORTAL_TEST_PG_BIN if set, else /usr/lib/postgresql/15/bin,
 * else the newest other version there (with a warning: the product targets 15).
 * Synchronous, so vitest.config.ts can decide whether the PostgreSQL project can run.
 */
export function postgresAvailability(env: NodeJS.ProcessEnv = process.env): PostgresAvailability {
  const found = findBinDir(env);
  if (!found) {
    const where = env.PORTAL_TEST_PG_BIN?.trim() ? `in PORTAL_TEST_PG_BIN=${env.PORTAL_TEST_PG_BIN.trim()}` : "under /usr/lib/postgresql/*/bin";
    return {
      ok: false,
      reason: `PostgreSQL server binaries (initdb, pg_ctl) not found ${where}. Install them as root: apt-get install -y postgresql-${POSTGRES_MAJOR}`,
    };
  }
  if (isRoot() && !userExists("postgres")) {
    return {
      ok: false,
      reason: "running as root but there is no `postgres` user to run the server as (the postgresql-15 package creates it)",
    };
  }
  return { ok: true, ...found };
}

function findBinDir(env: NodeJS.ProcessEnv): { binDir: string; version: string } | undefined {
  const fromEnv = env.PORTAL_TEST_PG_BIN?.trim();
  if (fromEnv) {
    return existsSync(path.join(fromEnv, "initdb")) ? { binDir: fromEnv, version: versionOf(fromEnv) } : undefined;
  }
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "initdb")) && existsSync(path.join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  const chosen = versions.includes(POSTGRES_MAJOR) ? POSTGRES_MAJOR : versions[0];
  if (!chosen) return undefined;
  return { binDir: path.join(base, chosen, "bin"), version: chosen };
}

function versionOf(binDir: string): string {
  try {
    const out = execFileSync(path.join(binDir, "pg_ctl"), ["--version"], { encoding: "utf8" });
    return /(\d+)(?:\.\d+)?/.exec(out)?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

function userExists(name: string): boolean {
  try {
    return readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .some((line) => line.split(":")[0] === name);
  } catch {
    return spawnSync("id", ["-u", name]).status === 0;
  }
}

function idsOf(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** A port nobody listens on right now (the OS picks it); a clash is retried by startPostgresServer. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}

/** Runs a server binary, as the postgres user when we are root. Throws with its output on failure. */
function runServerCommand(binDir: string, command: string, args: string[]): string {
  const file = path.join(binDir, command);
  const [program, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  const result = spawnSync(program, argv, { encoding: "utf8", cwd: os.tmpdir(), timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Starts a fresh PostgreSQL cluster and returns once it accepts connections (about a second).
 * The cluster is also stopped and removed if the process exits without calling stop().
 */
export async function startPostgresServer(options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<PostgresServer> {
  const availability = postgresAvailability(options.env);
  if (!availability.ok) throw new Error(availability.reason);
  const { binDir, version } = availability;
  if (version !== POSTGRES_MAJOR) options.log?.(`warning: using PostgreSQL ${version} from ${binDir}; the product targets ${POSTGRES_MAJOR}`);

  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-pg-"));
  // The postgres user must be able to enter the folder (mkdtemp makes it 0700, owned by us).
  chmodSync(dir, 0o755);
  if (isRoot()) {
    const { uid, gid } = idsOf("postgres");
    chownSync(dir, uid, gid);
  }
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    if (existsSync(path.join(dataDir, "postmaster.pid"))) {
      try {
        runServerCommand(binDir, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already gone; removing the folder is all that is left.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed or interrupted test run must not leave a server behind.
  process.once("exit", stopSync);

  try {
    runServerCommand(binDir, "initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"]);

    let port = 0;
    let serverOptions = "";
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      serverOptions = [
        `-p ${port}`,
        `-k ${dir}`,
        "-c listen_addresses=127.0.0.1",
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=200",
      ].join(" ");
      try {
        runServerCommand(binDir, "pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "30", "-o", serverOptions, "start"]);
        break;
      } catch (error) {
        // Someone took the port between our check and the start: try another one.
        const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
        if (attempt >= 3 || !/could not bind|Address already in use/i.test(log)) {
          throw new Error(`${(error as Error).message}\n--- server log ---\n${log}`);
        }
      }
    }

    const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    return {
      url: urlFor("postgres"),
      port,
      dir,
      version,
      urlFor,
      async restart(restartOptions = {}) {
        runServerCommand(binDir, "pg_ctl", ["-D", dataDir, "-m", restartOptions.mode ?? "fast", "-w", "stop"]);
        await new Promise((resolve) => setTimeout(resolve, restartOptions.downMs ?? 0));
        runServerCommand(binDir, "pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "30", "-o", serverOptions, "start"]);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        process.removeListener("exit", stopSync);
        try {
          runServerCommand(binDir, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    stopSync();
    process.removeListener("exit", stopSync);
    throw error;
  }
}
