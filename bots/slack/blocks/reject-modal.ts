import type { types } from "@slack/bolt";
import type { ActionValue } from "../../../lib/slack/action-value";
import { encodeActionValue } from "../../../lib/slack/action-value";

export const REJECT_VIEW_ID = "request_reject_reason";
export const REASON_BLOCK = "reason";
export const REASON_INPUT = "reason_input";

/**
 * The modal that asks why a request is rejected; the reason is emailed to the requester.
 * private_metadata carries the request, the version seen and where the message is, for the
 * ephemeral reply.
 */
export function rejectModal(value: ActionValue, reference: string, where: { channelId: string | null }): types.ModalView {
  return {
    type: "modal",
    callback_id: REJECT_VIEW_ID,
    private_metadata: JSON.stringify({ value: encodeActionValue(value), channelId: where.channelId }),
    title: { type: "plain_text", text: `Reject ${reference}`.slice(0, 24) },
    submit: { type: "plain_text", text: "Reject request" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: REASON_BLOCK,
        label: { type: "plain_text", text: "Why is it rejected?" },
        hint: { type: "plain_text", text: "The requester is emailed this reason." },
        element: { type: "plain_text_input", action_id: REASON_INPUT, multiline: true, max_length: 2000 },
      },
    ],
  };
}
