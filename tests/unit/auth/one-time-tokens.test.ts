import { randomInt } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { choosePositions, hashToken, newEmailCode, newLinkToken } from "@/lib/auth/one-time-tokens";
import { emailCodeStepSchema } from "@/lib/auth/sign-in/submit-email-code";
import { digitsStepSchema } from "@/lib/auth/sign-in/submit-security-digits";

// randomInt calls through to the real one unless a test says otherwise.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, randomInt: vi.fn(actual.randomInt) };
});

/** The digit challenge (AUP-4.2) and the one-time secrets sent by email (UCP-NET-1, links). */

afterEach(() => {
  vi.mocked(randomInt).mockClear();
});

const DRAWS = 6000;

describe("choosePositions", () => {
  it("AUP-4.2 asks for 3 distinct positions of the 6-digit number, 1-based and in ascending order", () => {
    for (let i = 0; i < 500; i++) {
      const positions = choosePositions(3);
      expect(positions).toHaveLength(3);
      expect(new Set(positions).size).toBe(3);
      for (const p of positions) expect([1, 2, 3, 4, 5, 6]).toContain(p);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it("AUP-4.2 draws at random: every position appears about half the time, and every one of the 20 sets appears", () => {
    const perPosition = new Map<number, number>();
    const sets = new Map<string, number>();
    for (let i = 0; i < DRAWS; i++) {
      const positions = choosePositions(3);
      for (const p of positions) perPosition.set(p, (perPosition.get(p) ?? 0) + 1);
      const k = positions.join(",");
      sets.set(k, (sets.get(k) ?? 0) + 1);
    }
    expect([...perPosition.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    // Each position is asked in 3 of 6 draws: 3000 expected, standard deviation ≈ 39.
    for (const count of perPosition.values()) {
      expect(count).toBeGreaterThan(DRAWS / 2 - 300);
      expect(count).toBeLessThan(DRAWS / 2 + 300);
    }
    // C(6,3) = 20 sets, 300 each expected (sd ≈ 17).
    expect(sets.size).toBe(20);
    for (const count of sets.values()) {
      expect(count).toBeGreaterThan(150);
      expect(count).toBeLessThan(450);
    }
  });

  it("AUP-4.2 draws from the cryptographic generator, not Math.random", () => {
    const mathRandom = vi.spyOn(Math, "random");
    choosePositions(3);
    expect(randomInt).toHaveBeenCalled();
    expect(mathRandom).not.toHaveBeenCalled();
    mathRandom.mockRestore();
  });

  it("AUP-4.2 follows the configured count (2 to 4) and never repeats a position within one draw", () => {
    for (const count of [2, 3, 4]) {
      for (let i = 0; i < 200; i++) {
        const positions = choosePositions(count);
        expect(positions).toHaveLength(count);
        expect(new Set(positions).size).toBe(count);
      }
    }
  });
});

describe("the emailed one-time code", () => {
  it("UCP-NET-1 is six digits, kept with leading zeros", () => {
    for (let i = 0; i < 1000; i++) expect(newEmailCode()).toMatch(/^\d{6}$/);
    vi.mocked(randomInt).mockReturnValueOnce(42 as never);
    expect(newEmailCode()).toBe("000042");
    vi.mocked(randomInt).mockReturnValueOnce(0 as never);
    expect(newEmailCode()).toBe("000000");
    vi.mocked(randomInt).mockReturnValueOnce(999_999 as never);
    expect(newEmailCode()).toBe("999999");
  });

  it("UCP-NET-1 is drawn uniformly from all million codes", () => {
    newEmailCode();
    expect(randomInt).toHaveBeenLastCalledWith(0, 1_000_000);
    const codes = new Set(Array.from({ length: 2000 }, () => newEmailCode()));
    expect(codes.size).toBeGreaterThan(1990);
  });

  it("UCP-NET-1 the code step takes six digits, spaces allowed, and nothing else", () => {
    const attemptId = "0b7d3c52-41c5-4f0e-9b0e-5b1f4d1c2a3e";
    expect(emailCodeStepSchema.parse({ attemptId, code: "012345" }).code).toBe("012345");
    expect(emailCodeStepSchema.parse({ attemptId, code: " 012 345 " }).code).toBe("012345");
    for (const code of ["12345", "1234567", "12345a", "", "٠١٢٣٤٥", "12-345"]) {
      expect(emailCodeStepSchema.safeParse({ attemptId, code }).success, code).toBe(false);
    }
    expect(emailCodeStepSchema.safeParse({ attemptId: "not-a-uuid", code: "012345" }).success).toBe(false);
  });
});

describe("the digits step input", () => {
  it("AUP-4.2 takes one digit a box, up to six boxes", () => {
    const attemptId = "0b7d3c52-41c5-4f0e-9b0e-5b1f4d1c2a3e";
    expect(digitsStepSchema.safeParse({ attemptId, digits: ["2", "8", "4"] }).success).toBe(true);
    for (const digits of [[], ["2", "8", "x"], ["28", "4"], ["1", "2", "3", "4", "5", "6", "7"], ["２", "8", "4"]]) {
      expect(digitsStepSchema.safeParse({ attemptId, digits }).success, JSON.stringify(digits)).toBe(false);
    }
  });
});

describe("link tokens", () => {
  it("are 256 random bits, URL-safe, different every time; only a SHA-256 hash is stored", () => {
    const tokens = Array.from({ length: 200 }, () => newLinkToken());
    expect(new Set(tokens).size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
    const token = tokens[0]!;
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(tokens[1]!));
    expect(hashToken(token)).not.toContain(token);
  });
});
