import { z } from "zod";
import type { PortalConfig } from "../config";
import { passwordProblem } from "./password-rules";
import { isTrivialSecurityNumber } from "./security-number";

/** The new-secrets form shared by set-up, reset and "my account may be compromised". */
export function newSecretsSchema(config: PortalConfig, who: { email: string; fullName: string }) {
  return z
    .object({
      password: z.string(),
      passwordConfirm: z.string(),
      securityNumber: z.string().trim(),
      securityNumberConfirm: z.string().trim(),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, { minimumLength: config.signIn.minimumPasswordLength, ...who });
      if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
      else if (v.password !== v.passwordConfirm) ctx.addIssue({ code: "custom", path: ["passwordConfirm"], message: "The passwords do not match" });
      if (!/^\d{6}$/.test(v.securityNumber)) ctx.addIssue({ code: "custom", path: ["securityNumber"], message: "Security number must be 6 digits" });
      else if (isTrivialSecurityNumber(v.securityNumber))
        ctx.addIssue({ code: "custom", path: ["securityNumber"], message: "Security number is too easy to guess: avoid repeated digits and runs such as 123456" });
      else if (v.securityNumber !== v.securityNumberConfirm)
        ctx.addIssue({ code: "custom", path: ["securityNumberConfirm"], message: "The security numbers do not match" });
    });
}
