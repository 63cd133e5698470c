import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { requests } from "../../../../lib/db/schema/requests";
import { isAppError } from "../../../../lib/errors";
import { rejectRequest } from "../../../../lib/requests/reject-request";
import { formatReference } from "../../../../lib/requests/rules";
import { decodeActionValue } from "../../../../lib/slack/action-value";
import { REASON_BLOCK, REASON_INPUT, REJECT_VIEW_ID } from "../../blocks/reject-modal";
import type { BotContext } from "../../context";
import { actAsStaff, reply } from "../respond";

const metadataSchema = z.object({ value: z.string(), channelId: z.string().nullable() });

/**
 * The reject modal's submission: rejectRequest with the reason (emailed to the requester), as
 * the person submitting, with the version they saw. A reason the use case refuses keeps the
 * modal open with its error under the field; any other outcome closes it and replies.
 */
export function rejectReasonListener(ctx: BotContext) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    let acked = false;
    const settle = async (response?: Parameters<typeof ack>[0]) => {
      if (acked) return;
      acked = true;
      await ack(response);
    };
    const metadata = metadataSchema.safeParse(safeJson(view.private_metadata));
    const value = metadata.success ? decodeActionValue(metadata.data.value) : null;
    const target = { client, userId: body.user.id, channelId: metadata.success ? metadata.data.channelId : null };
    if (!value) {
      await settle();
      return reply(target, "This form is out of date. Open the request in the portal.");
    }
    const reason = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value ?? "";
    await actAsStaff(
      ctx,
      target,
      { action: "reject", requestId: value.requestId },
      async (base) => {
        await rejectRequest({ ...base, expectedVersion: value.version, reason });
        const [row] = await ctx.db.select({ number: requests.number, title: requests.title }).from(requests).where(eq(requests.id, value.requestId));
        return `${row ? `${formatReference(row.number)} ${row.title}` : "The request"} rejected. The requester is emailed your reason.`;
      },
      {
        settle: () => settle(),
        handleError: async (error) => {
          const message = isAppError(error) && error.code === "validation" ? error.fieldErrors.reason : undefined;
          if (!message) return false;
          await settle({ response_action: "errors", errors: { [REASON_BLOCK]: message } });
          return true;
        },
      },
    );
    await settle();
  };
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return null;
  }
}

export function register(app: App, ctx: BotContext): void {
  app.view<ViewSubmitAction>(REJECT_VIEW_ID, rejectReasonListener(ctx));
}
