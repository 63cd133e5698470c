import { z } from "zod";

const body = z.string().trim().min(1, "Enter your message").max(10_000, "The message must be 10,000 characters or fewer");
const subject = z.string().trim().min(1, "Enter a subject").max(150, "The subject must be 150 characters or fewer");

/** A new query from a provider user (AUP-2.1d): about a person receiving care, or about a payment. */
export const openQueryInputSchema = z.discriminatedUnion(
  "topic",
  [
    z.object({ topic: z.literal("individual"), individualId: z.uuid({ error: "Choose the person the query is about" }), subject, body }),
    z.object({ topic: z.literal("payment"), paymentId: z.uuid({ error: "Choose the payment the query is about" }), subject, body }),
  ],
  { error: "Choose what the query is about" },
);
export type OpenQueryInput = z.infer<typeof openQueryInputSchema>;

/** "Contact the operator" from the contacts page (AUP-2.1a). */
export const operatorMessageInputSchema = z.object({ subject, body });

export const replyInputSchema = z.object({ body });

export const queryIdSchema = z.uuid();
