import { describe, expect, it } from "vitest";
import { isTrustedAddress, pickClientAddress } from "@/lib/auth/trusted-networks";
import { validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";

/** UCP-NET-1: which client addresses count as trusted networks, and which address is the client's. */

const council = validateConfig(councilProfile).network.trustedNetworks;

describe("isTrustedAddress", () => {
  it("UCP-NET-1 the council profile trusts 10.0.0.0/8 and the loopbacks, nothing else", () => {
    expect(council).toEqual(["10.0.0.0/8", "127.0.0.0/8", "::1/128"]);
    for (const address of ["10.0.0.0", "10.1.2.3", "10.255.255.255", "127.0.0.1", "::1"]) expect(isTrustedAddress(address, council), address).toBe(true);
    for (const address of ["11.0.0.0", "9.255.255.255", "192.168.1.10", "203.0.113.7", "2001:db8::1", "::2", "fe80::1"]) expect(isTrustedAddress(address, council), address).toBe(false);
  });

  it.each([
    ["192.168.10.0/24", "192.168.10.0", true],
    ["192.168.10.0/24", "192.168.10.255", true],
    ["192.168.10.0/24", "192.168.11.0", false],
    ["192.168.10.0/23", "192.168.11.200", true],
    ["198.51.100.7/32", "198.51.100.7", true],
    ["198.51.100.7/32", "198.51.100.8", false],
    ["0.0.0.0/0", "203.0.113.9", true],
  ] as const)("UCP-NET-1 IPv4 range %s contains %s: %s", (range, address, expected) => {
    expect(isTrustedAddress(address, [range])).toBe(expected);
  });

  it.each([
    ["2001:db8::/32", "2001:db8::1", true],
    ["2001:db8::/32", "2001:db8:ffff:ffff::1", true],
    ["2001:db8::/32", "2001:0DB8:0000:0000:0000:0000:0000:0001", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["2001:db8:1234::/48", "2001:db8:1234:5::9", true],
    ["2001:db8:1234::/48", "2001:db8:1235::9", false],
    ["::1/128", "::1", true],
    ["::1/128", "0:0:0:0:0:0:0:1", true],
  ] as const)("UCP-NET-1 IPv6 range %s contains %s: %s", (range, address, expected) => {
    expect(isTrustedAddress(address, [range])).toBe(expected);
  });

  it("UCP-NET-1 an IPv4-mapped IPv6 address counts as its IPv4 address", () => {
    // A dual-stack server reports IPv4 clients like this.
    expect(isTrustedAddress("::ffff:10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(isTrustedAddress("::ffff:0a01:0203", ["10.0.0.0/8"])).toBe(true);
    expect(isTrustedAddress("::ffff:127.0.0.1", council)).toBe(true);
    expect(isTrustedAddress("::ffff:11.1.2.3", ["10.0.0.0/8"])).toBe(false);
    // … and an IPv4 address falls inside a range written in mapped form.
    expect(isTrustedAddress("10.1.2.3", ["::ffff:10.0.0.0/104"])).toBe(true);
    expect(isTrustedAddress("11.1.2.3", ["::ffff:10.0.0.0/104"])).toBe(false);
  });

  it("UCP-NET-1 IPv4 and IPv6 ranges never match the other family otherwise", () => {
    expect(isTrustedAddress("10.1.2.3", ["2001:db8::/32"])).toBe(false);
    expect(isTrustedAddress("2001:db8::1", ["10.0.0.0/8", "0.0.0.0/0"])).toBe(false);
    expect(isTrustedAddress("::a01:203", ["10.0.0.0/8"])).toBe(false); // IPv4-compatible, not mapped
  });

  it("UCP-NET-1 an unknown or malformed address is never trusted", () => {
    for (const address of [null, "", " ", "not-an-address", "10.0.0.1:443", "999.1.1.1", "10.0.0.1, 10.0.0.2", "10.0.0.0/8"]) {
      expect(isTrustedAddress(address, ["10.0.0.0/8", "0.0.0.0/0"]), String(address)).toBe(false);
    }
    expect(isTrustedAddress(" 10.0.0.1 ", ["10.0.0.0/8"])).toBe(true);
  });

  it("UCP-NET-1 with no ranges configured nothing is trusted", () => {
    expect(isTrustedAddress("10.0.0.1", [])).toBe(false);
    expect(isTrustedAddress("127.0.0.1", [])).toBe(false);
  });
});

describe("pickClientAddress", () => {
  it("UCP-NET-1 in socket mode, uses the socket's address and ignores X-Forwarded-For entirely", () => {
    expect(pickClientAddress("socket", "203.0.113.7", "10.0.0.1")).toBe("203.0.113.7");
    expect(pickClientAddress("socket", "203.0.113.7", null)).toBe("203.0.113.7");
    expect(pickClientAddress("socket", null, "10.0.0.1")).toBeNull();
  });

  it("UCP-NET-1 behind a proxy, uses the address the proxy appended to X-Forwarded-For", () => {
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", "203.0.113.7")).toBe("203.0.113.7");
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", " 2001:db8::5 ")).toBe("2001:db8::5");
  });

  it("UCP-NET-1 a client cannot choose its own address: entries it sent before the proxy's are ignored", () => {
    // The client sent "X-Forwarded-For: 10.0.0.1" hoping to look trusted; the proxy appended the real address.
    const picked = pickClientAddress("x-forwarded-for", "10.9.9.9", "10.0.0.1, 203.0.113.7");
    expect(picked).toBe("203.0.113.7");
    expect(isTrustedAddress(picked, council)).toBe(false);
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", "127.0.0.1,10.1.1.1,198.51.100.4")).toBe("198.51.100.4");
  });

  it("UCP-NET-1 falls back to the socket when the header is missing, empty or not an address", () => {
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", null)).toBe("10.9.9.9");
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", "")).toBe("10.9.9.9");
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", "203.0.113.7, unknown")).toBe("10.9.9.9");
    expect(pickClientAddress("x-forwarded-for", "10.9.9.9", "not-an-address")).toBe("10.9.9.9");
  });
});
