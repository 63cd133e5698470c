import { describe, expect, it } from "vitest";
import { reconnectDelay } from "@/bots/imap/listener";
import { imapSettingsFromEnv } from "@/bots/imap/settings";

describe("IMAP listener settings and reconnection", () => {
  it("is not configured without IMAP_HOST, and names every missing setting when half-configured", () => {
    expect(imapSettingsFromEnv({})).toBeNull();
    expect(() => imapSettingsFromEnv({ IMAP_HOST: "imap.council.example.org" })).toThrow(/user: IMAP_USER is required.*password: IMAP_PASSWORD is required/);
  });

  it("defaults: TLS on, INBOX → Processed / Needs-attention, 10 MB, no trusted authserv-id", () => {
    expect(imapSettingsFromEnv({ IMAP_HOST: "imap.example.org", IMAP_USER: "brokerage", IMAP_PASSWORD: "x" })).toEqual({
      host: "imap.example.org",
      secure: true,
      user: "brokerage",
      password: "x",
      mailbox: "INBOX",
      processedFolder: "Processed",
      attentionFolder: "Needs-attention",
      authservId: null,
      maxMessageBytes: 10 * 1024 * 1024,
    });
    expect(imapSettingsFromEnv({ IMAP_HOST: "h", IMAP_USER: "u", IMAP_PASSWORD: "p", IMAP_SECURE: "false", IMAP_PORT: "1143", IMAP_AUTHSERV_ID: "mx.example.org" })).toMatchObject({
      secure: false,
      port: 1143,
      authservId: "mx.example.org",
    });
  });

  it("backs off after a lost connection: about 1 s, doubling, capped at 5 minutes", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, middle))).toEqual([1000, 2000, 4000, 8000]);
    expect(reconnectDelay(30, middle)).toBe(300_000);
    expect(reconnectDelay(0, () => 0)).toBe(750);
    expect(reconnectDelay(0, () => 1)).toBe(1250);
  });
});
