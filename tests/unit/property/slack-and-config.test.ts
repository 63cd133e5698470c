import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { imapSettingsFromEnv } from "@/bots/imap/settings";
import { ConfigError, loadConfig, mergeConfig, validateConfig } from "@/lib/config";
import { profiles } from "@/lib/config/profiles";
import { cronAuthorisation } from "@/lib/jobs/cron-auth";
import { actionValueSchema, decodeActionValue, encodeActionValue } from "@/lib/slack/action-value";
import { slackSettingsFromEnv } from "@/lib/slack/settings";
import { parseOrThrow } from "@/lib/validation";
import { deepJsonText, expectOnlyValidationError, hostileString, hostileValue, runs } from "./hostile";

/**
 * Issue 11, bad input at every boundary — what Slack sends back (button values, modal
 * metadata), the deployment configuration (profile + JSON file), the bots' environment
 * settings and the cron endpoint's Authorization header.
 */

describe("Slack payloads", () => {
  it("any button value or modal metadata: ours, or null (the listener answers 'out of date'), never thrown", () => {
    const text = fc.oneof(
      hostileString,
      hostileValue.map((v) => {
        try {
          return JSON.stringify(v) ?? "";
        } catch {
          return "";
        }
      }),
      fc.record({ r: hostileValue, v: hostileValue }).map((v) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x))),
      fc.nat({ max: 100_000 }).map((d) => deepJsonText(d)),
    );
    fc.assert(
      fc.property(fc.oneof(text, fc.constant(undefined), fc.constant(null)), (value) => {
        const decoded = decodeActionValue(value as string | null | undefined);
        if (decoded) expect(actionValueSchema.safeParse(decoded).success).toBe(true);
      }),
      { numRuns: runs(400) },
    );
  });

  it("a valid action value round-trips through the button", () => {
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), fc.integer({ min: 1, max: 2 ** 31 }), (requestId, version) => {
        expect(decodeActionValue(encodeActionValue({ requestId, version }))).toEqual({ requestId, version });
      }),
      { numRuns: runs(200) },
    );
  });
});

describe("configuration", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "portal-config-fuzz-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const expectConfigErrorOnly = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      expect(error.problems.length).toBeGreaterThan(0);
      for (const p of error.problems) expect(p.message.length).toBeGreaterThan(0);
    }
  };

  it("any value as a whole configuration: valid, or ConfigError naming each problem", () => {
    fc.assert(fc.property(hostileValue, (input) => expectConfigErrorOnly(() => validateConfig(input))), { numRuns: runs(300) });
  });

  it("hostile overrides merged into each shipped profile: valid, or ConfigError; Object.prototype untouched", () => {
    const keys = ["signIn", "sessions", "operator", "email", "requests", "securityRoles", "leadRoleKey", "__proto__", "constructor", "x"];
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(profiles)), fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 4 }), (name, overrides) => {
        // JSON.parse is how a file arrives: "__proto__" is then an own key, not the prototype.
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(JSON.stringify(overrides, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x)) ?? "{}") as Record<string, unknown>;
        } catch {
          return;
        }
        expectConfigErrorOnly(() => validateConfig(mergeConfig(profiles[name], parsed)));
        expect(({} as Record<string, unknown>).signIn).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty("polluted");
      }),
      { numRuns: runs(300) },
    );
  });

  it("a configuration file of any text: loaded, or ConfigError", () => {
    let i = 0;
    fc.assert(
      fc.property(fc.oneof(hostileString, hostileValue.map((v) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x)) ?? "")), (text) => {
        const file = path.join(folder, `c${i++}.json`);
        writeFileSync(file, text);
        expectConfigErrorOnly(() => loadConfig({ PORTAL_CONFIG: file }));
      }),
      { numRuns: runs(150) },
    );
  });

  it("each shipped profile round-trips: validated once is validated again unchanged", () => {
    for (const [name, profile] of Object.entries(profiles)) {
      const once = validateConfig(profile);
      expect(validateConfig(JSON.parse(JSON.stringify(once))), name).toEqual(once);
      expect(validateConfig(mergeConfig(profile, {})), name).toEqual(once);
    }
  });

  it("the bots' environment settings: settings, nothing, or one error naming what is wrong", () => {
    const env = fc.dictionary(
      fc.constantFrom("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CHANNEL_ID", "SLACK_APP_TOKEN", "SLACK_API_URL", "SLACK_PORT", "IMAP_HOST", "IMAP_PORT", "IMAP_SECURE", "IMAP_USER", "IMAP_PASSWORD", "IMAP_MAX_MESSAGE_BYTES"),
      hostileString,
    );
    fc.assert(
      fc.property(env, (e) => {
        for (const read of [() => slackSettingsFromEnv(e), () => imapSettingsFromEnv(e)]) {
          try {
            read();
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            expect((error as Error).message).toMatch(/^(Slack is partly configured|IMAP settings are invalid): \S/);
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it("the cron endpoint's Authorization header: a verdict, never an exception, and only the secret passes", () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, hostileString.map((s) => `Bearer ${s}`), fc.constant(null)), fc.oneof(hostileString, fc.constant(undefined)), (header, secret) => {
        const verdict = cronAuthorisation(header, { CRON_SECRET: secret });
        if (verdict === "ok") expect(header?.trim().replace(/^Bearer\s+/i, "").trim()).toBe(secret?.trim());
      }),
      { numRuns: runs(300) },
    );
  });
});

describe("the property harness can fail", () => {
  it("a schema whose preprocess assumes a string is caught throwing on hostile input", () => {
    const careless = z.object({ name: z.preprocess((v) => (v as string).trim(), z.string()) });
    expect(() =>
      fc.assert(
        fc.property(hostileValue, (input) => {
          expectOnlyValidationError(() => parseOrThrow(careless, input));
        }),
        { numRuns: 200 },
      ),
    ).toThrow(/TypeError|Property failed/);
  });
});
