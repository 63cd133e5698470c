import { eq } from "drizzle-orm";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { Actor } from "../audit/events";
import { loadViewer, type Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { saveContact } from "../contacts/save-contact";
import { publishContract } from "../contracts/publish-contract";
import { accounts } from "../db/schema/accounts";
import { individuals } from "../db/schema/care";
import type { Database } from "../db/types";
import { openQuery } from "../queries/open-query";

/**
 * The demo's contacts, a contract waiting for signature and an open query for the active demo
 * provider, made through the same use cases as the portal's forms (so each has its history and
 * audit events). Needs the care demo first: the contract and the query name its packages and
 * people. A demo account the deployed profile does not let act (its roles mapped elsewhere)
 * simply contributes nothing.
 */
export async function seedProviderFunctionsDemo(options: { db: Database; config: PortalConfig; clock: Clock }): Promise<void> {
  const { db, config, clock } = options;
  const operatorDomain = config.operator.mailbox.split("@")[1] ?? "council.example.org";
  const lead = await demoViewer(db, config, "priya.shah@meadowbank-care.example.org");
  const coordinator = await demoViewer(db, config, "amina.okafor@meadowbank-care.example.org");
  const staff = await demoViewer(db, config, `alex.morgan@${operatorDomain}`);

  if (lead && lead.grants.contacts === "edit") {
    const contacts = [
      { role: "registered_manager", fullName: "Priya Shah", jobTitle: "Registered Manager", email: "priya.shah@meadowbank-care.example.org", phone: "01632 960 100", availability: "Weekdays 9am to 5pm" },
      { role: "finance", fullName: "Tom Baker", jobTitle: "Finance Officer", email: "tom.baker@meadowbank-care.example.org", phone: "01632 960 101", availability: "Tuesday to Thursday" },
      { role: "out_of_hours", fullName: "On-call coordinator", jobTitle: "", email: "", phone: "01632 960 199", availability: "Evenings, weekends and bank holidays" },
    ];
    for (const input of contacts) {
      await saveContact({ db, actor: actorOf(lead), clock, viewer: lead, input: { roleLabel: "", ...input } });
    }
  }

  if (staff && staff.grants.organisations === "edit") {
    await publishContract({
      db,
      actor: actorOf(staff),
      clock,
      viewer: staff,
      input: { carePackageRef: "PKG-5005", title: "Reablement service agreement" },
      file: { name: "reablement-service-agreement.pdf", bytes: await contractDocument() },
    });
  }

  if (coordinator && coordinator.grants.queries === "edit") {
    const [person] = await db.select({ id: individuals.id }).from(individuals).where(eq(individuals.sourceId, "IND-1002"));
    if (person) {
      await openQuery({
        db,
        actor: actorOf(coordinator),
        clock,
        config,
        viewer: coordinator,
        input: {
          topic: "individual",
          individualId: person.id,
          subject: "Extra morning call from next week",
          body: "George's family have asked for an extra 30-minute morning call from Monday. Can the package be varied, and will a new purchase order follow?",
        },
      });
    }
  }
}

async function demoViewer(db: Database, config: PortalConfig, email: string): Promise<Viewer | null> {
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  return account ? loadViewer(db, config, { accountId: account.id, sessionId: "demo-seed" }) : null;
}

function actorOf(viewer: Viewer): Actor {
  return { accountId: viewer.accountId, label: viewer.fullName, channel: "web" };
}

/** A short, invented service agreement: a real PDF, as staff would upload. */
async function contractDocument(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  const lines = [
    "Reablement service agreement (demonstration document)",
    "",
    "Between the council and Meadowbank Care, for care package PKG-5005.",
    "The provider delivers up to seven hours of reablement support a week,",
    "at the rate in the purchase order, for a period of six weeks.",
    "Invented for the Provider Portal demo: no real person or contract.",
  ];
  lines.forEach((text, i) => page.drawText(text, { x: 56, y: 780 - i * 20, size: i === 0 ? 14 : 11, font }));
  return pdf.save();
}
