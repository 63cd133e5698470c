import { z } from "zod";
import { contactRoles } from "../db/schema/contacts";

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .transform((v) => (v === "" ? null : v));

/** A key contact as the form sends it (AUP-2.1a); every field checked here, at the edge. */
export const contactInputSchema = z
  .object({
    role: z.enum(contactRoles, { error: "Choose the contact's role" }),
    roleLabel: optionalText(80, "The role's name must be 80 characters or fewer"),
    fullName: z.string().trim().min(1, "Enter the contact's full name").max(120, "The full name must be 120 characters or fewer"),
    jobTitle: optionalText(120, "The job title must be 120 characters or fewer"),
    email: z
      .string()
      .trim()
      .max(254, "The email address must be 254 characters or fewer")
      .refine((v) => v === "" || z.email().safeParse(v).success, "Enter an email address in the correct format, like name@example.org")
      .transform((v) => (v === "" ? null : v.toLowerCase())),
    phone: z
      .string()
      .trim()
      .max(40, "The telephone number must be 40 characters or fewer")
      .refine((v) => v === "" || /^\+?[0-9 ()-]{6,}$/.test(v), "Enter a telephone number, like 01632 960 001 or +44 1632 960 001")
      .transform((v) => (v === "" ? null : v)),
    availability: optionalText(120, "When they can be reached must be 120 characters or fewer"),
  })
  .superRefine((c, ctx) => {
    if (c.role === "other" && !c.roleLabel) ctx.addIssue({ code: "custom", path: ["roleLabel"], message: "Enter what the role is called" });
    if (!c.email && !c.phone) ctx.addIssue({ code: "custom", path: ["email"], message: "Enter an email address or a telephone number, or both" });
  })
  .transform((c) => ({ ...c, roleLabel: c.role === "other" ? c.roleLabel : null }));
export type ContactInput = z.output<typeof contactInputSchema>;

export const contactIdSchema = z.uuid();
/** The version the person saw, so a change made meanwhile by a colleague is not overwritten. */
export const contactVersionSchema = z.coerce.number().int().positive();
