import { isAppError } from "../../lib/errors";

/**
 * Slack's one error mapper: an AppError becomes an ephemeral reply in its people-facing words;
 * anything else is logged and answered with a sentence that gives nothing away.
 */
export function replyForError(error: unknown, log: (error: unknown) => void = () => undefined): string {
  if (isAppError(error)) {
    switch (error.code) {
      case "forbidden":
        return "Your security role does not let you do that (UAP-4.1).";
      case "not_found":
        return "That request could not be found.";
      case "validation": {
        const fields = Object.values(error.fieldErrors);
        return fields.length > 0 ? fields.join(". ") : error.userMessage;
      }
      case "unauthenticated":
        return "The portal could not tell who you are.";
      default:
        // conflict ("already actioned by someone else"), refused (a policy rule), rate_limited, locked
        return error.userMessage;
    }
  }
  log(error);
  return "Something went wrong and nothing was changed. Try again, or use the portal.";
}
