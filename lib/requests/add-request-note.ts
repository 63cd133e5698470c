import { recordAudit } from "../audit/record-audit";
import { requestNotes } from "../db/schema/requests";
import { parseOrThrow } from "../validation";
import { formatReference } from "./rules";
import { noteInputSchema } from "./schema";
import { requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * AUP-5.2e: a note on a request is part of the official record — appended, never edited or
 * deleted (the database refuses UPDATE and DELETE on request_notes). Adding one does not
 * change the request's version, so it never disturbs a colleague's action.
 */
export async function addRequestNote(options: Omit<StaffActionOptions, "expectedVersion"> & { body: string }): Promise<{ noteId: string; createdAt: Date }> {
  const { body } = parseOrThrow(noteInputSchema, { body: options.body });
  return runStaffAction(options, "note", async (tx, request) => {
    const now = options.clock.now();
    const [note] = await tx
      .insert(requestNotes)
      .values({ requestId: request.id, authorId: options.actor.accountId, authorLabel: options.actor.label, channel: options.actor.channel, body, createdAt: now })
      .returning({ id: requestNotes.id, createdAt: requestNotes.createdAt });
    await recordAudit(tx, options.actor, options.clock, {
      action: "request.note_added",
      ...requestAuditFields(request),
      detail: { reference: formatReference(request.number), noteId: note!.id, body },
    });
    return { noteId: note!.id, createdAt: note!.createdAt };
  });
}
