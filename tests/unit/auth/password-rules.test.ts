import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import { passwordProblem } from "@/lib/auth/password-rules";
import { newSecretsSchema } from "@/lib/auth/secret-rules";
import { mergeConfig, validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { DEMO_PASSWORD } from "@/lib/demo/demo-data";

/** Password rules in the NCSC/NIST style: long enough, not common or breached, no composition rules. */

const config = validateConfig(councilProfile);
const rules = { minimumLength: config.signIn.minimumPasswordLength };

describe("passwordProblem", () => {
  it("uses the council default of at least 12 characters", () => {
    expect(config.signIn.minimumPasswordLength).toBe(12);
    expect(passwordProblem("bright kites", rules)).toBeNull(); // 12
    expect(passwordProblem("bright kite", rules)).toBe("Password must be at least 12 characters"); // 11
    expect(passwordProblem("", rules)).toMatch(/at least 12/);
  });

  it("takes the minimum length from configuration", () => {
    const longer = validateConfig(mergeConfig(councilProfile, { signIn: { ...councilProfile.signIn, minimumPasswordLength: 16 } }));
    expect(passwordProblem("bright kites flew", { minimumLength: longer.signIn.minimumPasswordLength })).toBeNull();
    expect(passwordProblem("bright kites fl", { minimumLength: longer.signIn.minimumPasswordLength })).toMatch(/at least 16/);
  });

  it("counts characters, not UTF-16 code units (NIST: each Unicode code point is one character)", () => {
    // 11 characters that are 22 UTF-16 code units: too short.
    expect(passwordProblem("🌊🌲🌙🍂🐝🦉🌻🍄🐚🌵🪁", rules)).toMatch(/at least 12/);
    expect(passwordProblem("🌊🌲🌙🍂🐝🦉🌻🍄🐚🌵🪁🪴", rules)).toBeNull();
    // Accented letters, spaces and punctuation are all allowed.
    expect(passwordProblem("crème brûlée à minuit", rules)).toBeNull();
  });

  it("has no composition rules: a long all-lowercase passphrase is fine", () => {
    expect(passwordProblem("quiet otters juggle marmalade", rules)).toBeNull();
    expect(passwordProblem("correcthorsebatterystaple", rules)).toBeNull();
    expect(passwordProblem(DEMO_PASSWORD, rules)).toBeNull();
    expect(passwordProblem("4827 1093 5561", rules)).toBeNull();
  });

  it("refuses passwords from the common and breached list (@zxcvbn-ts/language-common), whatever their case", () => {
    const commonLong = dictionary.passwords.filter((p) => p.length >= 12);
    expect(commonLong.length).toBeGreaterThan(100);
    for (const password of commonLong.slice(0, 200)) {
      expect(passwordProblem(password, rules), password).toMatch(/too common/);
    }
    expect(passwordProblem("leavemealone", rules)).toMatch(/too common/);
    expect(passwordProblem("LeaveMeAlone", rules)).toMatch(/too common/);
    expect(passwordProblem("QWERTY123456", rules)).toMatch(/too common/);
  });

  it("refuses a common password with digits or ! ? . stuck on the end to make up the length", () => {
    expect(passwordProblem("password12345678", rules)).toMatch(/too common/);
    expect(passwordProblem("football2024!", rules)).toMatch(/too common/);
    expect(passwordProblem("sunshine!!!!!", rules)).toMatch(/too common/);
    expect(passwordProblem("iloveyou.....", rules)).toMatch(/too common/);
  });

  it("refuses one character repeated", () => {
    expect(passwordProblem("aaaaaaaaaaaaaaaa", rules)).toMatch(/too common|one character repeated/);
    expect(passwordProblem("ZZZZZZZZZZZZZZZZZZ", rules)).toMatch(/too common|one character repeated/);
    expect(passwordProblem("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", rules)).toBe("Password must not be one character repeated");
  });

  it("refuses the user's own email address or name", () => {
    const who = { email: "kim.lee.carer@meadowbank-care.example.org", fullName: "Kimberley Anne Lee" };
    expect(passwordProblem("kim.lee.carer@meadowbank-care.example.org", { ...rules, ...who })).toMatch(/email address/);
    expect(passwordProblem("KIM.LEE.CARER@MEADOWBANK-CARE.EXAMPLE.ORG!", { ...rules, ...who })).toMatch(/email address/);
    expect(passwordProblem("kim.lee.carer", { ...rules, ...who })).toMatch(/email address/);
    expect(passwordProblem("Kimberley Anne Lee", { ...rules, ...who })).toMatch(/your name/);
    expect(passwordProblem("kimberleyannelee", { ...rules, ...who })).toMatch(/your name/);
    expect(passwordProblem("kimberley walks the dog", { ...rules, ...who })).toBeNull();
  });

  it("refuses more than 256 characters", () => {
    expect(passwordProblem("a quiet river ".repeat(19), rules)).toMatch(/256 characters or fewer/);
    expect(passwordProblem("a quiet river ".repeat(18), rules)).toBeNull();
  });
});

describe("newSecretsSchema (set-up, reset, compromise)", () => {
  const schema = newSecretsSchema(config, { email: "kim.lee@meadowbank-care.example.org", fullName: "Kim Lee" });
  const good = { password: "quiet otters juggle marmalade", passwordConfirm: "quiet otters juggle marmalade", securityNumber: "284915", securityNumberConfirm: "284915" };

  it("AUP-4.2 accepts a good password and a non-trivial 6-digit security number", () => {
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.parse({ ...good, securityNumber: " 284915 ", securityNumberConfirm: "284915 " }).securityNumber).toBe("284915");
  });

  it.each([
    [{ password: "too short", passwordConfirm: "too short" }, "password", /at least 12/],
    [{ passwordConfirm: "quiet otters juggle marmalad" }, "passwordConfirm", /do not match/],
    [{ securityNumber: "000000", securityNumberConfirm: "000000" }, "securityNumber", /too easy/],
    [{ securityNumber: "123456", securityNumberConfirm: "123456" }, "securityNumber", /too easy/],
    [{ securityNumber: "654321", securityNumberConfirm: "654321" }, "securityNumber", /too easy/],
    [{ securityNumber: "111111", securityNumberConfirm: "111111" }, "securityNumber", /too easy/],
    [{ securityNumber: "28491", securityNumberConfirm: "28491" }, "securityNumber", /6 digits/],
    [{ securityNumber: "28491x", securityNumberConfirm: "28491x" }, "securityNumber", /6 digits/],
    [{ securityNumberConfirm: "284916" }, "securityNumberConfirm", /do not match/],
  ] as const)("AUP-4.2 refuses %j on %s", (change, field, message) => {
    const result = schema.safeParse({ ...good, ...change });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });
});
