import { z } from "zod";

export const contractIdSchema = z.uuid();

/** Staff publishing a contract (AUP-2.1c): which care package (its feed reference), a title; the file is checked apart. */
export const publishContractInputSchema = z.object({
  carePackageRef: z.string().trim().min(1, "Enter the care package's reference").max(100, "The reference must be 100 characters or fewer"),
  title: z.string().trim().min(1, "Enter a title for the contract").max(200, "The title must be 200 characters or fewer"),
});

/** The provider's signature: the name they type and the digits asked for by the challenge. */
export const signContractInputSchema = z.object({
  challengeId: z.uuid(),
  typedName: z.string().trim().min(1, "Type your full name").max(200, "The name must be 200 characters or fewer"),
  digits: z.array(z.string().regex(/^\d$/, "Enter one digit in each box")).min(1).max(6),
  confirm: z.literal("yes", { error: "Confirm that you have read the contract and agree to sign it" }),
});
