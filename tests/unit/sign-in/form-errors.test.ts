import { describe, expect, it } from "vitest";
import { errorQuery, fieldErrorsFrom } from "@/app/sign-in/_lib/form-errors";
import { passwordStepMessages, passwordStepSchema } from "@/lib/auth/sign-in/start-sign-in";
import { digitsStepMessages, digitsStepSchema } from "@/lib/auth/sign-in/submit-security-digits";

const attemptId = "6f1c8f2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f";

describe("sign-in form errors carried by the redirect's query", () => {
  it("names each field's problem, and the page shows the use case's own message for it", () => {
    const parsed = passwordStepSchema.safeParse({ email: "", password: "" });
    expect(parsed.success).toBe(false);
    const query = errorQuery(parsed.error!, passwordStepMessages);
    expect(query).toBe("email.missing,password.missing");
    expect(fieldErrorsFrom(query, passwordStepMessages)).toEqual({ email: "Enter your email address", password: "Enter your password" });
    const tooLong = passwordStepSchema.safeParse({ email: `${"a".repeat(320)}@x.org`, password: "p" });
    expect(fieldErrorsFrom(errorQuery(tooLong.error!, passwordStepMessages), passwordStepMessages)).toEqual({ email: "Enter a shorter email address" });
  });

  it("names the digit boxes that do not hold one digit", () => {
    const parsed = digitsStepSchema.safeParse({ attemptId, digits: ["1", "x", ""] });
    const query = errorQuery(parsed.error!, digitsStepMessages, (path) => ({ name: `digit-${String(path[1])}`, lookupAs: "digit" }));
    expect(query).toBe("digit-1.notDigit,digit-2.notDigit");
    expect(fieldErrorsFrom(query, digitsStepMessages, () => "digit")).toEqual({ "digit-1": "Enter one digit, 0 to 9", "digit-2": "Enter one digit, 0 to 9" });
  });

  it("a crafted query shows nothing but the portal's own messages", () => {
    expect(fieldErrorsFrom("email.<script>,password.toString,constructor.name,email", passwordStepMessages)).toEqual({});
    expect(fieldErrorsFrom(["email.missing", "x"], passwordStepMessages)).toEqual({});
    expect(fieldErrorsFrom(undefined, passwordStepMessages)).toEqual({});
    expect(fieldErrorsFrom("<b>.missing", passwordStepMessages, () => "email")).toEqual({});
  });
});
