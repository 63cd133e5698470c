import type { AttemptResult } from "./rules";

/** One email as it leaves the outbox for a mail service. */
export interface OutgoingEmail {
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** The outbox row's key: the mail service sends one email per key, however often it is asked. */
  idempotencyKey: string;
}

/**
 * A mail service. `send` never throws for a refusal or a network fault: it reports them, and
 * says whether trying the same message again could succeed. (Anything it does throw is
 * treated as a fault worth retrying.)
 */
export interface MailSender {
  send(email: OutgoingEmail, options?: { signal?: AbortSignal }): Promise<AttemptResult>;
}
