import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contactHistory, listContacts } from "@/lib/contacts/queries";
import { removeContact } from "@/lib/contacts/remove-contact";
import { saveContact } from "@/lib/contacts/save-contact";
import { tables } from "@/lib/db";
import { actorFor, appError, createRequestWorld, PRIYA, TOM, viewerFor, type RequestWorld } from "../requests/fixtures";

const manager = { role: "registered_manager", roleLabel: "", fullName: "Grace Hopper", jobTitle: "Registered Manager", email: "Grace.Hopper@meadowbank-care.example.org", phone: "01632 960 001", availability: "Weekdays 9am to 5pm" };

describe("contacts (AUP-2.1a)", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => {
    await world?.dispose();
  });

  const as = async (email: string) => ({ db: world.db, clock: world.clock, actor: await actorFor(world.db, email), viewer: await viewerFor(world, email) });

  it("AUP-2.1a a user with edit keeps the key contacts current, and every change says who changed what and when", async () => {
    const priya = await as(PRIYA);
    const { contactId } = await saveContact({ ...priya, input: manager });
    world.clock.advance(60_000);
    const { changes } = await saveContact({ ...priya, contactId, version: 1, input: { ...manager, phone: "01632 960 002" } });
    expect(changes).toEqual({ phone: { from: "01632 960 001", to: "01632 960 002" } });

    const tom = await as(TOM); // Finance: contacts read
    const list = await listContacts(world.db, tom.viewer);
    expect(list.map((c) => [c.fullName, c.email, c.phone])).toEqual([["Grace Hopper", "grace.hopper@meadowbank-care.example.org", "01632 960 002"]]);
    const history = await contactHistory(world.db, tom.viewer);
    expect(history.map((h) => [h.change, h.actorLabel, Object.keys(h.fields).sort()])).toEqual([
      ["changed", "Priya Shah", ["phone"]],
      ["added", "Priya Shah", ["availability", "email", "fullName", "jobTitle", "phone", "role"]],
    ]);
    expect(history[0]!.createdAt.getTime() - history[1]!.createdAt.getTime()).toBe(60_000);

    const events = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.organisationId, world.meadowbankId));
    const actions = events.map((e) => e.action);
    expect(actions).toContain("contact.added");
    expect(actions).toContain("contact.changed");

    await removeContact({ ...priya, contactId });
    expect(await listContacts(world.db, tom.viewer)).toEqual([]);
    expect((await contactHistory(world.db, tom.viewer))[0]!.change).toBe("removed");
  });

  it("AUP-2.1a bad input is refused with a message per field and nothing is written", async () => {
    const priya = await as(PRIYA);
    const refused = await appError(saveContact({ ...priya, input: { ...manager, fullName: " ", email: "not-an-email", role: "other" } }));
    expect(refused.code).toBe("validation");
    expect(Object.keys(refused.fieldErrors).sort()).toEqual(["email", "fullName", "roleLabel"]);
    expect(await world.db.select().from(tables.organisationContacts)).toEqual([]);
    expect(await world.db.select().from(tables.organisationContactChanges)).toEqual([]);
  });

  it("AUP-5.1d read is not edit: Finance may read contacts but not change them", async () => {
    const tom = await as(TOM);
    expect((await appError(saveContact({ ...tom, input: manager }))).code).toBe("forbidden");
  });

  it("AUP-5.2d another organisation's viewer neither lists nor edits this organisation's contacts", async () => {
    const priya = await as(PRIYA);
    const { contactId } = await saveContact({ ...priya, input: manager });
    const [riverside] = await world.db.select().from(tables.organisations).where(eq(tables.organisations.odsCode, "RV4D5"));
    const outsider = { ...priya.viewer, organisationId: riverside!.id };
    expect(await listContacts(world.db, outsider)).toEqual([]);
    expect((await appError(saveContact({ ...priya, viewer: outsider, contactId, input: manager }))).code).toBe("not_found");
    expect((await appError(removeContact({ ...priya, viewer: outsider, contactId }))).code).toBe("not_found");
  });

  it("AUP-2.1a a stale form does not overwrite a colleague's change", async () => {
    const priya = await as(PRIYA);
    const { contactId } = await saveContact({ ...priya, input: manager });
    await saveContact({ ...priya, contactId, version: 1, input: { ...manager, jobTitle: "Manager" } });
    expect((await appError(saveContact({ ...priya, contactId, version: 1, input: { ...manager, phone: "01632 960 009" } }))).code).toBe("conflict");
  });

  it("AUP-5.2e the contacts history cannot be edited or deleted", async () => {
    const priya = await as(PRIYA);
    await saveContact({ ...priya, input: manager });
    await expect(world.handle.superuserExecute("update organisation_contact_changes set actor_label = 'someone else'")).rejects.toThrow(/official record/);
    await expect(world.handle.superuserExecute("delete from organisation_contact_changes")).rejects.toThrow(/official record/);
  });
});
