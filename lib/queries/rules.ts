import type { QueryStatus, QueryTopic } from "../db/schema/queries";

/** A query's reference as people and email subjects carry it: QRY-000123. */
export function queryReference(number: number): string {
  return `QRY-${String(number).padStart(6, "0")}`;
}

/** The query number a text (an email subject) names by reference, e.g. "Re: [QRY-000123] …"; null when none. */
export function parseQueryReference(text: string): number | null {
  const match = /\bQRY-(\d{1,12})\b/i.exec(text);
  if (!match) return null;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}

export const queryTopicNames: Record<QueryTopic, string> = {
  individual: "A person receiving care",
  payment: "A payment",
  operator: "Message to the operator",
};

export const queryStatusNames: Record<QueryStatus, string> = {
  awaiting_operator: "Waiting for the operator",
  awaiting_provider: "Replied",
  closed: "Closed",
};

/** Whose turn it is after a message from one side: the other side's. A closed query reopens. */
export function statusAfterMessage(side: "provider" | "operator"): QueryStatus {
  return side === "provider" ? "awaiting_operator" : "awaiting_provider";
}

/** AUP-5.2e: the reminder shown wherever a message is written. */
export const OFFICIAL_RECORD_REMINDER =
  "Messages form part of the official record. They are kept and cannot be edited or deleted once sent, so write only what you would be content for the person concerned to read.";
