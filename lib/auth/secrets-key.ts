import type { Env } from "../env";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/load-config";

/**
 * The key that seals security numbers. From PORTAL_SECRETS_KEY (base64, 32 bytes); the
 * embedded default creates one in its data folder on first start and keeps it there.
 */
export function loadSecretsKey(options: { env?: Env; dataDir?: string }): Buffer {
  const env = options.env ?? process.env;
  const fromEnv = env.PORTAL_SECRETS_KEY?.trim();
  if (fromEnv) {
    const key = Buffer.from(fromEnv, "base64");
    if (key.length !== 32) {
      throw new ConfigError("PORTAL_SECRETS_KEY must be 32 bytes written in base64 (e.g. `openssl rand -base64 32`)", [
        { path: "PORTAL_SECRETS_KEY", message: "must be 32 bytes in base64" },
      ]);
    }
    return key;
  }
  if (!options.dataDir) {
    throw new ConfigError("PORTAL_SECRETS_KEY is required when the portal uses a PostgreSQL server (e.g. `openssl rand -base64 32`)", [
      { path: "PORTAL_SECRETS_KEY", message: "is required with DATABASE_URL" },
    ]);
  }
  const file = path.join(options.dataDir, "secrets.key");
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new ConfigError(`${file} does not hold a 32-byte base64 key`, [{ path: file, message: "bad key file" }]);
  return key;
}
