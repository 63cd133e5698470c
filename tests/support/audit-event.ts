import type { HashedAuditFields } from "@/lib/audit/canonical";

/** A staff member's amendment as an audit event: every kind of field, some null, a nested detail — the encoders' tests start from it. */
export const sampleAuditEvent: HashedAuditFields = {
  seq: 42,
  id: "0b6f3c1e-8d2a-4f7e-9a51-3c2d1e0f9a8b",
  occurredAt: new Date("2026-11-24T09:30:00.123Z"),
  action: "account.amended",
  channel: "web",
  actorId: "5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  actorLabel: "Sam Staff (operator)",
  organisationId: "7c6b5a49-3827-4165-9f8e-7d6c5b4a3928",
  subjectAccountId: null,
  requestId: null,
  clientAddress: "192.0.2.10",
  userAgent: "Mozilla/5.0",
  detail: { before: { role: "a" }, after: { role: "b" } },
  prevHash: "f".repeat(64),
};
