/** What the banner says after each change on an organisation's pages; only these are shown (never text from the URL). */
export const organisationDoneMessages = {
  created: "Organisation added. Work through its eligibility checklist next",
  eligibility: "Eligibility checklist saved",
  activated: "Organisation activated. You can now invite its Lead correspondent",
  invited: "Lead correspondent invited: they have been sent their username and, separately, a link to set up their account",
  licences: "Licence allocation saved",
  case_opened: "Case opened",
  confirmation: "Written confirmation recorded",
  care_packages: "Care packages check recorded",
  case_closed: "Case closed",
} as const;
export type OrganisationDone = keyof typeof organisationDoneMessages;

export function doneMessage(key: string | undefined): string | null {
  return key && key in organisationDoneMessages ? organisationDoneMessages[key as OrganisationDone] : null;
}
