/** The staff actions a request page's forms post. */
export const staffFormActions = ["prioritise", "assign", "assign_to_me", "start", "approve", "reject", "note", "confirm_lead", "confirm_sender", "tick", "close", "archive"] as const;
export type StaffFormAction = (typeof staffFormActions)[number];

/** What the banner says after each action; the page shows only these (never text from the URL). */
export const doneMessages: Record<StaffFormAction, string> = {
  prioritise: "Priority set",
  assign: "Request assigned",
  assign_to_me: "Request assigned to you",
  start: "Work started",
  approve: "Request approved and applied",
  reject: "Request rejected",
  note: "Note added",
  confirm_lead: "Confirmation recorded",
  confirm_sender: "Sender confirmed",
  tick: "Related system ticked",
  close: "Request closed",
  archive: "Request archived",
};
