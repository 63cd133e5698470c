import { randomBytes, timingSafeEqual } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { SECURITY_NUMBER_LENGTH, digitsMatch, isTrivialSecurityNumber, openSecurityNumber, sealSecurityNumber } from "@/lib/auth/security-number";

// Watch the comparison (calling through to the real one) to see that it is constant-time.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/** The 6-digit security number (AUP-4.2): sealed at rest, compared in constant time, never trivial. */

const key = randomBytes(32);
const NUMBER = "284915";
const sealed = sealSecurityNumber(key, NUMBER);
const at = (positions: number[]) => positions.map((p) => NUMBER.charAt(p - 1));

beforeEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
});

describe("sealing", () => {
  it("AUP-4.2 seals and opens a security number (AES-256-GCM), with a fresh IV each time", () => {
    expect(SECURITY_NUMBER_LENGTH).toBe(6);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(NUMBER);
    expect(openSecurityNumber(key, sealed)).toBe(NUMBER);
    const again = sealSecurityNumber(key, NUMBER);
    expect(again).not.toBe(sealed);
    expect(openSecurityNumber(key, again)).toBe(NUMBER);
  });

  it("AUP-4.2 refuses to open a sealed number that was altered, cut short, or sealed with another key", () => {
    const [version, iv, tag, body] = sealed.split(".") as [string, string, string, string];
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes.toString("base64url");
    };
    expect(() => openSecurityNumber(key, [version, iv, tag, flip(body)].join("."))).toThrow();
    expect(() => openSecurityNumber(key, [version, iv, flip(tag), body].join("."))).toThrow();
    expect(() => openSecurityNumber(key, [version, flip(iv), tag, body].join("."))).toThrow();
    expect(() => openSecurityNumber(key, [version, iv, tag].join("."))).toThrow(/unrecognised/);
    expect(() => openSecurityNumber(key, ["v2", iv, tag, body].join("."))).toThrow(/unrecognised/);
    expect(() => openSecurityNumber(key, "")).toThrow(/unrecognised/);
    expect(() => openSecurityNumber(randomBytes(32), sealed)).toThrow();
  });
});

describe("digitsMatch", () => {
  it("AUP-4.2 accepts the right digits for the asked positions (1-based), in any choice of positions", () => {
    for (const positions of [
      [1, 2, 3],
      [4, 5, 6],
      [1, 3, 6],
      [2, 4, 5],
    ]) {
      expect(digitsMatch(key, sealed, positions, at(positions))).toBe(true);
    }
  });

  it("AUP-4.2 refuses a wrong digit in any place, and digits for other positions", () => {
    const positions = [2, 4, 6];
    const right = at(positions);
    for (let i = 0; i < right.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === right[i]) continue;
        const given = right.map((x, j) => (j === i ? String(d) : x));
        expect(digitsMatch(key, sealed, positions, given)).toBe(false);
      }
    }
    expect(digitsMatch(key, sealed, positions, at([1, 3, 5]))).toBe(false);
    // The same digits in another order are wrong.
    expect(digitsMatch(key, sealed, positions, [...right].reverse())).toBe(false);
  });

  it("AUP-4.2 refuses too few or too many digits, and anything that is not a digit", () => {
    const positions = [1, 3, 5];
    const right = at(positions);
    expect(digitsMatch(key, sealed, positions, right.slice(0, 2))).toBe(false);
    expect(digitsMatch(key, sealed, positions, [])).toBe(false);
    expect(digitsMatch(key, sealed, positions, [...right, "1"])).toBe(false);
    expect(digitsMatch(key, sealed, positions, [right[0]!, right[1]!, ""])).toBe(false);
    expect(digitsMatch(key, sealed, positions, [right[0]!, right[1]!, "\u0000"])).toBe(false);
    expect(digitsMatch(key, sealed, positions, [right[0]!, right[1]!, `${right[2]}${right[2]}`])).toBe(false);
    expect(digitsMatch(key, sealed, positions, [right[0]!, right[1]!, "٥"])).toBe(false); // an Arabic-Indic five
    expect(digitsMatch(key, sealed, positions, [right[0]!, right[1]!, " "])).toBe(false);
  });

  it("AUP-4.2 refuses an empty question", () => {
    expect(digitsMatch(key, sealed, [], [])).toBe(false);
  });

  it("AUP-4.2 refuses positions outside the number", () => {
    expect(digitsMatch(key, sealed, [0, 1, 2], ["", NUMBER[0]!, NUMBER[1]!])).toBe(false);
    expect(digitsMatch(key, sealed, [5, 6, 7], [NUMBER[4]!, NUMBER[5]!, ""])).toBe(false);
    expect(digitsMatch(key, sealed, [5, 6, 7], [NUMBER[4]!, NUMBER[5]!, "0"])).toBe(false);
  });

  it("AUP-4.2 fails closed, without throwing, on a tampered sealed number or the wrong key", () => {
    const positions = [1, 2, 3];
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(digitsMatch(key, tampered, positions, at(positions))).toBe(false);
    expect(digitsMatch(randomBytes(32), sealed, positions, at(positions))).toBe(false);
    expect(digitsMatch(key, "garbage", positions, at(positions))).toBe(false);
    // Even the filler the comparison uses in that case is not accepted.
    expect(digitsMatch(key, "garbage", positions, ["\u0000", "\u0000", "\u0000"])).toBe(false);
  });

  it("AUP-4.2 compares in constant time: one whole-buffer timing-safe comparison whichever digit is wrong", () => {
    const positions = [1, 4, 6];
    const right = at(positions);
    const cases = [right, ...right.map((_, i) => right.map((x, j) => (j === i ? String((Number(x) + 1) % 10) : x))), right.slice(0, 2), [...right, "7"], ["a", "b", "c"]];
    for (const given of cases) {
      vi.mocked(timingSafeEqual).mockClear();
      digitsMatch(key, sealed, positions, given);
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
      const [a, b] = vi.mocked(timingSafeEqual).mock.calls[0]! as [Buffer, Buffer];
      expect(a.length).toBe(positions.length);
      expect(b.length).toBe(positions.length);
    }
    // The same work when the sealed number cannot be opened.
    vi.mocked(timingSafeEqual).mockClear();
    digitsMatch(key, "garbage", positions, right);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});

describe("isTrivialSecurityNumber", () => {
  it.each(["000000", "111111", "999999", "123456", "234567", "654321", "987654", "890123", "121212", "123123", "112233", "696969"])(
    "AUP-4.2 refuses %s",
    (value) => {
      expect(isTrivialSecurityNumber(value)).toBe(true);
    },
  );

  it.each(["12345", "1234567", "12345a", " 28491", "", "２８４９１５"])("AUP-4.2 refuses %j, which is not six digits", (value) => {
    expect(isTrivialSecurityNumber(value)).toBe(true);
  });

  it.each(["284915", "730518", "418273", "509162"])("AUP-4.2 accepts %s", (value) => {
    expect(isTrivialSecurityNumber(value)).toBe(false);
  });
});
