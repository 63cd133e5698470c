import type { Env } from "../env";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { defaultProfileName, profiles } from "./profiles";
import { portalConfigSchema, type PortalConfig } from "./schema";

/** Raised when the deployment configuration is unusable; start-up stops with its message. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

const fileSchema = z.looseObject({ extends: z.string().optional() });

/**
 * Reads the deployment configuration: a shipped profile (PORTAL_PROFILE, default "council"),
 * optionally overridden by a JSON file (PORTAL_CONFIG) whose objects merge into the profile
 * and whose arrays replace the profile's. Throws ConfigError naming each bad field.
 */
export function loadConfig(env: Env = process.env): PortalConfig {
  let base = env.PORTAL_PROFILE?.trim() || defaultProfileName;
  let overrides: Record<string, unknown> = {};
  if (env.PORTAL_CONFIG) {
    const file = env.PORTAL_CONFIG;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ConfigError(`Configuration file ${file} could not be read as JSON: ${(error as Error).message}`, [
        { path: "(file)", message: (error as Error).message },
      ]);
    }
    const checked = fileSchema.safeParse(parsed);
    if (!checked.success) throw new ConfigError(`Configuration file ${file} must hold a JSON object`, [{ path: "(file)", message: "must be an object" }]);
    const { extends: parent, ...rest } = checked.data;
    if (parent) base = parent;
    overrides = rest;
  }
  const profile = profiles[base];
  if (!profile) {
    const known = Object.keys(profiles).join(", ");
    throw new ConfigError(`Unknown configuration profile "${base}" (known: ${known})`, [{ path: "profile", message: `unknown profile "${base}"` }]);
  }
  return validateConfig(mergeConfig(profile, overrides));
}

/** Validates a whole configuration object, throwing ConfigError with every problem named. */
export function validateConfig(input: unknown): PortalConfig {
  const result = portalConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
  const lines = problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n");
  throw new ConfigError(`The deployment configuration is not valid:\n${lines}`, problems);
}

/** Objects merge key by key; arrays and plain values replace. */
export function mergeConfig<T>(base: T, overrides: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

let cached: PortalConfig | undefined;
/** The process's configuration, validated once. */
export function getConfig(): PortalConfig {
  cached ??= loadConfig();
  return cached;
}
/** For tests that switch profile inside one process. */
export function resetConfigCache(): void {
  cached = undefined;
}
