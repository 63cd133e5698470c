-- Custom SQL migration file, put your code below! --
-- Issue 7: the intake's processed-message records move from portal_meta to inbound_messages.
-- Before this table, each message left two portal_meta rows written with the same value
-- ({at, kind, folder, request}): "intake:content:<sha256 of the raw message>" and, when it had
-- a Message-ID, "intake:message-id:<sha256 of the Message-ID>". They are paired on that value,
-- so a message already processed stays recognised by both keys, and then removed.
INSERT INTO "inbound_messages" ("content_hash", "message_id_hash", "classification", "folder", "reason", "request_id", "processed_at", "created_at")
SELECT DISTINCT ON (c."key")
  substr(c."key", 16),
  substr(m."key", 19),
  c."value" ->> 'kind',
  c."value" ->> 'folder',
  'Processed before inbound_messages existed (moved from portal_meta).',
  r."id",
  (c."value" ->> 'at')::timestamptz,
  (c."value" ->> 'at')::timestamptz
FROM "portal_meta" c
LEFT JOIN "portal_meta" m ON m."key" LIKE 'intake:message-id:%' AND m."value" = c."value"
LEFT JOIN "requests" r ON c."value" ->> 'request' = 'REQ-' || lpad(r."number"::text, 6, '0')
WHERE c."key" LIKE 'intake:content:%'
ORDER BY c."key", m."key"
ON CONFLICT DO NOTHING;--> statement-breakpoint
DELETE FROM "portal_meta" WHERE "key" LIKE 'intake:content:%' OR "key" LIKE 'intake:message-id:%';
