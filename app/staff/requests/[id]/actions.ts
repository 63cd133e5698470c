"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { addRequestNote } from "@/lib/requests/add-request-note";
import { approveRequest } from "@/lib/requests/approve-request";
import { archiveRequest } from "@/lib/requests/archive-request";
import { assignRequest } from "@/lib/requests/assign-request";
import { closeRequest } from "@/lib/requests/close-request";
import { confirmSender } from "@/lib/requests/confirm-sender";
import { prioritiseRequest } from "@/lib/requests/prioritise-request";
import { recordLeadConfirmation } from "@/lib/requests/record-lead-confirmation";
import { rejectRequest } from "@/lib/requests/reject-request";
import { startRequest } from "@/lib/requests/start-request";
import { tickRelatedSystem } from "@/lib/requests/tick-related-system";
import type { StaffActionOptions } from "@/lib/requests/staff-action";
import { formOf, formStateFromError, formText, type FormState } from "../../../_lib/form-state";
import { portal } from "../../../_lib/portal";
import { webActor } from "../../../_lib/request-context";
import { requireAccess } from "../../../_lib/viewer";
import { staffFormActions } from "./done-messages";

const actionSchema = z.enum(staffFormActions);


// POST (server action) — every staff action on one request, each a lib/requests use case (the same ones Slack and the CLI call).
export async function actOnRequest(requestId: string, _prev: FormState, formData: FormData): Promise<FormState> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("operator", "requests", "edit", `/staff/requests/${requestId}`);
  const parsed = actionSchema.safeParse(formData.get("action"));
  if (!parsed.success) return { ok: false, message: "Choose what to do with the request.", fieldErrors: {} };
  const action = parsed.data;
  const { database, config, clock, baseUrl } = await portal();
  const version = Number(formText(formData, "version"));
  const options: StaffActionOptions = {
    db: database.db,
    actor: await webActor(config, viewer),
    clock,
    config,
    viewer,
    requestId,
    ...(Number.isInteger(version) && version > 0 ? { expectedVersion: version } : {}),
  };
  try {
    switch (action) {
      case "prioritise":
        await prioritiseRequest({ ...options, priority: formText(formData, "priority") });
        break;
      case "assign":
        await assignRequest({ ...options, assigneeId: formText(formData, "assigneeId") });
        break;
      case "assign_to_me":
        await assignRequest({ ...options, assigneeId: viewer.accountId });
        break;
      case "start":
        await startRequest(options);
        break;
      case "approve":
        await approveRequest({ ...options, baseUrl });
        break;
      case "reject":
        await rejectRequest({ ...options, reason: formText(formData, "reason") });
        break;
      case "note": {
        const { expectedVersion: _ignored, ...noteOptions } = options;
        await addRequestNote({ ...noteOptions, body: formText(formData, "body") });
        break;
      }
      case "confirm_lead":
        await recordLeadConfirmation({
          ...options,
          method: formText(formData, "method"),
          confirmedWith: formText(formData, "confirmedWith"),
          note: formText(formData, "note") || null,
        });
        break;
      case "confirm_sender":
        await confirmSender({ ...options, note: formText(formData, "note") });
        break;
      case "tick":
        await tickRelatedSystem({ ...options, systemKey: formText(formData, "systemKey"), note: formText(formData, "note") || null });
        break;
      case "close":
        await closeRequest(options);
        break;
      case "archive":
        await archiveRequest(options);
        break;
    }
  } catch (error) {
    return { ...formStateFromError(error), values: { action } };
  }
  redirect(`/staff/requests/${requestId}?done=${action}`);
}
