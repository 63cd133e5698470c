/**
 * Searches the e2e servers' logs (tests/.tmp/e2e-logs/*.log, written by playwright.config.ts)
 * for the secrets the journeys typed: the demo password and security number, and every
 * password and security number the specs in tests/e2e set (read from the specs themselves,
 * so a new journey's secrets are searched for too), and the servers' secrets keys.
 *
 *   npx tsx scripts/scan-e2e-logs.ts [--dir tests/.tmp/e2e-logs]
 *
 * Prints what it searched and exits 1 naming the file, line and kind of any secret found
 * (never the secret itself), or when there is no log to search.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD, DEMO_SECURITY_NUMBER } from "../lib/demo/demo-data";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dirFlag = process.argv.indexOf("--dir");
const logDir = path.resolve(root, dirFlag > 0 ? process.argv[dirFlag + 1]! : "tests/.tmp/e2e-logs");

interface Secret {
  kind: "password" | "security number" | "secrets key";
  value: string;
  pattern: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function secret(kind: Secret["kind"], value: string): Secret {
  // A security number is six digits: match it only where it stands alone, not inside a longer
  // number (a timestamp, a port, a count).
  const body = kind === "security number" ? `(?<![0-9])${escape(value)}(?![0-9])` : escape(value);
  return { kind, value, pattern: new RegExp(body) };
}

/** The passwords and security numbers the specs set: `password: "…"`, `const securityNumber = "…"`. */
function secretsInSpecs(dir: string): Secret[] {
  const found: Secret[] = [];
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!/\.tsx?$/.test(file)) continue;
    const text = readFileSync(path.join(dir, file), "utf8");
    for (const match of text.matchAll(/\b(password|securityNumber)\s*[:=]\s*"([^"]{4,})"/g)) {
      found.push(secret(match[1] === "password" ? "password" : "security number", match[2]!));
    }
    // Digits typed straight into the confirm/new fields: .fill("123456") after a security number label.
    for (const match of text.matchAll(/[Ss]ecurity number[^\n]*\.fill\("(\d{6})"\)/g)) found.push(secret("security number", match[1]!));
    for (const match of text.matchAll(/[Pp]assword[^\n]*\.fill\("([^"]{6,})"\)/g)) found.push(secret("password", match[1]!));
  }
  return found;
}

function secretsKeys(): Secret[] {
  const tmp = path.join(root, "tests/.tmp");
  if (!existsSync(tmp)) return [];
  return readdirSync(tmp)
    .filter((name) => name.startsWith("e2e-data-") && existsSync(path.join(tmp, name, "secrets.key")))
    .map((name) => readFileSync(path.join(tmp, name, "secrets.key"), "utf8").trim())
    .filter((value) => value.length >= 16)
    .map((value) => secret("secrets key", value));
}

function main(): number {
  const secrets = [secret("password", DEMO_PASSWORD), secret("security number", DEMO_SECURITY_NUMBER), ...secretsInSpecs(path.join(root, "tests/e2e")), ...secretsKeys()];
  const unique = [...new Map(secrets.map((s) => [`${s.kind}:${s.value}`, s])).values()];
  const logs = existsSync(logDir) ? readdirSync(logDir).filter((name) => name.endsWith(".log")) : [];
  if (logs.length === 0) {
    process.stderr.write(`No e2e server logs in ${path.relative(root, logDir)}: run the e2e journeys first.\n`);
    return 1;
  }
  let lines = 0;
  const hits: string[] = [];
  for (const name of logs) {
    const text = readFileSync(path.join(logDir, name), "utf8").split("\n");
    lines += text.length;
    text.forEach((line, index) => {
      for (const s of unique) if (s.pattern.test(line)) hits.push(`${name}:${index + 1}: a ${s.kind} (${s.value.length} characters)`);
    });
  }
  const counts = { passwords: unique.filter((s) => s.kind === "password").length, securityNumbers: unique.filter((s) => s.kind === "security number").length, keys: unique.filter((s) => s.kind === "secrets key").length };
  process.stdout.write(
    `Searched ${logs.length} log files (${lines} lines) for ${counts.passwords} passwords, ${counts.securityNumbers} security numbers and ${counts.keys} secrets keys.\n`,
  );
  if (hits.length) {
    process.stdout.write(`SECRETS FOUND in the server logs:\n${hits.map((h) => `  ${h}`).join("\n")}\n`);
    return 1;
  }
  process.stdout.write("None found.\n");
  return 0;
}

process.exitCode = main();
