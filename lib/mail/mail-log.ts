/**
 * Structured log lines of outbound email. Callers pass ids, kinds, counts and error texts —
 * never a message's body or subject (a body may carry a set-up link or a one-time code).
 */
export type MailLogLevel = "info" | "warn" | "error";
export type MailLog = (level: MailLogLevel, event: string, fields?: Record<string, unknown>) => void;

/** One JSON object a line on stderr, like the rest of the server's logs. */
export const stderrMailLog: MailLog = (level, event, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ level, source: "mail", event, ...fields })}\n`);
};

export const silentMailLog: MailLog = () => undefined;
