import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * E2E journeys against the production build (`npm run build` runs first, in scripts/test-all.sh),
 * in Debian's Chromium. Two servers start from that build, each on a fresh embedded database
 * with demo data:
 *   portal      :3100  tests/e2e/config/e2e.json        (client address from X-Forwarded-For; 10.0.0.0/8 trusted)
 *   short-idle  :3101  tests/e2e/config/short-idle.json (the same, with a 1-minute idle timeout)
 * Each server's output is also written to tests/.tmp/e2e-logs/<name>-<port>.log, which
 * scripts/scan-e2e-logs.ts searches for the journeys' passwords and security numbers afterwards.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const idlePort = port + 1;
const root = path.dirname(new URL(import.meta.url).pathname);

function server(name: string, serverPort: number, configFile: string) {
  // The port in the name keeps two runs on one checkout (different E2E_PORT) off each other's data.
  const dataDir = `tests/.tmp/e2e-data-${name}-${serverPort}`;
  const logFile = `tests/.tmp/e2e-logs/${name}-${serverPort}.log`;
  return {
    command: `rm -rf ${dataDir} && mkdir -p tests/.tmp/e2e-logs && npx next start -H 127.0.0.1 -p ${serverPort} 2>&1 | tee ${logFile}`,
    url: `http://127.0.0.1:${serverPort}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env: {
      PORTAL_DATA_DIR: dataDir,
      PORTAL_CONFIG: path.join(root, "tests/e2e/config", configFile),
      PORTAL_URL: `http://127.0.0.1:${serverPort}`,
      NODE_ENV: "production",
      // The journeys drive every change themselves; scheduled jobs are proved by time-travel
      // integration tests and would otherwise act on the demo data mid-journey.
      PORTAL_JOBS: "off",
    },
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "portal", testIgnore: /idle-timeout/, use: { baseURL: `http://127.0.0.1:${port}` } },
    { name: "short-idle", testMatch: /idle-timeout/, use: { baseURL: `http://127.0.0.1:${idlePort}` } },
  ],
  webServer: [server("portal", port, "e2e.json"), server("short-idle", idlePort, "short-idle.json")],
});
