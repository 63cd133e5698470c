import { fixedClock } from "@/lib/clock";
import { recordAudit, type Actor, type AuditInput } from "@/lib/audit";
import { tables } from "@/lib/db";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/**
 * A small audit log to search, on a fresh database: three organisations, four people, and
 * events on several channels across the days around the clocks going forward (30 March 2025).
 */
export interface AuditWorld {
  handle: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  org: { council: string; meadowbank: string; riverside: string };
  people: { sam: Person; priya: Person; tom: Person; rita: Person };
  /** The events recorded, in order (seq 1, 2, 3 …). */
  events: { seq: number; action: string; occurredAt: Date }[];
  actor(person: Person, channel?: Actor["channel"]): Actor;
  record(at: string, actor: Actor, input: AuditInput | AuditInput[]): Promise<void>;
  dispose(): Promise<void>;
}

export interface Person {
  id: string;
  fullName: string;
  email: string;
  organisationId: string;
}

export async function createAuditWorld(): Promise<AuditWorld> {
  const handle = await createTestDatabase();
  const clock = fixedClock("2025-03-28T12:00:00.000Z");
  const [council, meadowbank, riverside] = await handle.db
    .insert(tables.organisations)
    .values([
      { odsCode: "XC001", name: "Exampleshire Council", kind: "operator", type: "local_authority", status: "active" },
      { odsCode: "AB1C2", name: "Meadowbank Care Ltd", kind: "provider", type: "domiciliary_care", status: "active" },
      { odsCode: "RV4D5", name: "Riverside Home Care", kind: "provider", type: "care_home", status: "active" },
    ])
    .returning({ id: tables.organisations.id });
  const org = { council: council!.id, meadowbank: meadowbank!.id, riverside: riverside!.id };
  const person = async (fullName: string, email: string, organisationId: string, audience: "provider" | "operator"): Promise<Person> => {
    const [row] = await handle.db.insert(tables.accounts).values({ fullName, email, organisationId, audience, status: "active" }).returning({ id: tables.accounts.id });
    return { id: row!.id, fullName, email, organisationId };
  };
  const people = {
    sam: await person("Sam Patel", "sam.patel@council.example.org", org.council, "operator"),
    priya: await person("Priya Shah", "priya.shah@meadowbank-care.example.org", org.meadowbank, "provider"),
    tom: await person("Tom Baker", "tom.baker@meadowbank-care.example.org", org.meadowbank, "provider"),
    rita: await person("Rita Osei", "rita.osei@riverside.example.org", org.riverside, "provider"),
  };
  const events: AuditWorld["events"] = [];
  const world: AuditWorld = {
    handle,
    clock,
    org,
    people,
    events,
    actor: (p, channel = "web") => ({ accountId: p.id, label: p.fullName, channel, clientAddress: "10.1.2.3", userAgent: "Vitest" }),
    async record(at, actor, input) {
      clock.set(at);
      const rows = await handle.db.transaction((tx) => recordAudit(tx, actor, clock, input));
      events.push(...rows.map((r) => ({ seq: r.seq, action: r.action, occurredAt: r.occurredAt })));
    },
    dispose: () => handle.dispose(),
  };

  const { sam, priya, tom, rita } = people;
  const system: Actor = { accountId: null, label: "Portal", channel: "system" };
  // 1. Friday, before the clock change.
  await world.record("2025-03-28T10:00:00.000Z", system, { action: "organisation.created", organisationId: org.riverside, detail: { odsCode: "RV4D5" } });
  // 2. Sunday 30 March, 10:00 BST.
  await world.record("2025-03-30T09:00:00.000Z", world.actor(sam), { action: "account.created", organisationId: org.meadowbank, subjectAccountId: priya.id, detail: { email: priya.email } });
  // 3. Monday 31 March 00:30 BST — still Sunday in UTC.
  await world.record("2025-03-30T23:30:00.000Z", world.actor(priya), {
    action: "request.submitted",
    organisationId: org.meadowbank,
    subjectAccountId: tom.id,
    detail: { type: "new_user" },
  });
  // 4. Monday, by email.
  await world.record("2025-03-31T10:00:00.000Z", world.actor(sam, "email"), { action: "request.approved", organisationId: org.meadowbank, subjectAccountId: tom.id, detail: {} });
  // 5. Monday, a suspension at another provider.
  await world.record("2025-03-31T11:00:00.000Z", world.actor(sam), { action: "account.suspended", organisationId: org.riverside, subjectAccountId: rita.id, detail: { reason: "Left" } });
  // 6. Tuesday: Tom signs in.
  await world.record("2025-04-01T08:00:00.000Z", world.actor(tom), { action: "sign_in.succeeded", organisationId: org.meadowbank, subjectAccountId: tom.id, detail: {} });
  // 7. Tuesday: an action whose name differs from sign_in. only where "_" stands.
  await world.record("2025-04-01T08:30:00.000Z", world.actor(rita), { action: "signxin.failed", organisationId: org.riverside, detail: {} });
  // 8. Tuesday, through Slack.
  await world.record("2025-04-01T09:00:00.000Z", world.actor(sam, "slack"), { action: "request.approved", organisationId: org.riverside, subjectAccountId: rita.id, detail: {} });
  return world;
}
