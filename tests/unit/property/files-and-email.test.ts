import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { checkRows, rowToInput } from "@/lib/imports/check-import";
import { importFields, type ImportRow } from "@/lib/imports/columns";
import { readImportFile } from "@/lib/imports/read-import-file";
import { importTemplateCsv } from "@/lib/imports/template";
import { parseAuthenticationResults } from "@/lib/intake/authentication";
import { classifyEmail, mentionedAddresses, ownWords, referencedRequest } from "@/lib/intake/classify";
import { incomingEmailSchema, parseEmail } from "@/lib/intake/parse-email";
import { buildXlsx } from "@/tests/fixtures/imports/xlsx-writer";
import { requestTestConfig } from "@/tests/unit/requests/request-config";
import { BAD_UTF8, INJECTIONS, expectOnlyValidationErrorAsync, hostileString, runs } from "./hostile";

/**
 * Issue 11, bad input at every boundary — uploaded CSV/XLSX files (lib/imports) and received
 * emails (lib/intake). Arbitrary bytes, mangled real fixtures, hostile cell values: the readers
 * return what they could read or refuse with the typed validation error ("The selected file …"),
 * and every row of a file that reads is judged with messages, never thrown.
 */

const config = requestTestConfig();
const today = "2026-05-05";
const importFixtures = path.resolve(__dirname, "../../fixtures/imports");
const emailFixtures = path.resolve(__dirname, "../../fixtures/email");
const csvFixtures = readdirSync(importFixtures).filter((f) => /\.(csv|tsv)$/.test(f)).map((f) => readFileSync(path.join(importFixtures, f)));
const emails = readdirSync(emailFixtures).filter((f) => f.endsWith(".eml")).map((f) => readFileSync(path.join(emailFixtures, f)));

/** Bytes: random, a real file cut or with bytes flipped, or with bad UTF-8 spliced in. */
function mangled(originals: readonly Buffer[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.tuple(fc.constantFrom(...originals), fc.nat(), fc.nat()).map(([b, at, len]) => b.subarray(at % (b.length + 1), (at % (b.length + 1)) + (len % 4096))),
    fc.tuple(fc.constantFrom(...originals), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 })).map(([b, flips]) => {
      const copy = Uint8Array.from(b);
      for (const [at, value] of flips) if (copy.length) copy[at % copy.length] = value;
      return copy;
    }),
    fc.tuple(fc.constantFrom(...originals), fc.nat(), fc.constantFrom(...BAD_UTF8, Buffer.from(INJECTIONS.join(",")))).map(([b, at, insert]) => {
      const cut = at % (b.length + 1);
      return Buffer.concat([b.subarray(0, cut), insert, b.subarray(cut)]);
    }),
  );
}

describe("CSV and XLSX imports: hostile files", () => {
  it("any bytes: rows, or a validation error about the file; rows always judged without throwing", async () => {
    await fc.assert(
      fc.asyncProperty(mangled(csvFixtures), fc.constantFrom("x.csv", "x.xlsx", "x.tsv", undefined), async (bytes, fileName) => {
        let rows: ImportRow[] = [];
        await expectOnlyValidationErrorAsync(async () => {
          rows = (await readImportFile({ bytes, fileName })).rows;
        });
        const { reports } = checkRows({ rows, config, today });
        expect(reports.length).toBe(rows.length);
        for (const r of reports) if (r.status === "error") expect(r.errors.every((e) => e.message.length > 0)).toBe(true);
      }),
      { numRuns: runs(200) },
    );
  });

  it("hostile cell values in a well-formed CSV: every row is reported, an error row names its column", async () => {
    const cell = fc.oneof(hostileString.filter((s) => s.length < 5000), fc.constantFrom(...INJECTIONS));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 5 }), async (table) => {
        const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
        const text = importTemplateCsv().split(/\r?\n/)[0] + "\n" + table.map((r) => r.map(quote).join(",")).join("\n");
        await expectOnlyValidationErrorAsync(async () => {
          const file = await readImportFile({ bytes: Buffer.from(text), fileName: "x.csv" });
          const { reports } = checkRows({ rows: file.rows, config, today });
          expect(reports.length).toBe(file.rows.length);
        });
      }),
      { numRuns: runs(150) },
    );
  });

  it("hostile XLSX cells and sheets: read or refused as a file, never thrown", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.oneof(hostileString.filter((s) => s.length < 2000), fc.double(), fc.constant("")), { maxLength: 8 }), { maxLength: 6 }), async (rows) => {
        const header = importTemplateCsv().split(/\r?\n/)[0]!.split(",");
        const bytes = buildXlsx([{ name: "Sheet1", rows: [header, ...rows.map((r) => r.map(String))] }]);
        await expectOnlyValidationErrorAsync(async () => {
          const file = await readImportFile({ bytes, fileName: "x.xlsx" });
          checkRows({ rows: file.rows, config, today });
        });
      }),
      { numRuns: runs(60) },
    );
  });

  it("a row's values of any text become a request input or problems, never an exception", () => {
    const values = fc.record(Object.fromEntries(importFields.map((f) => [f, hostileString])) as Record<string, fc.Arbitrary<string>>, { requiredKeys: [] });
    fc.assert(
      fc.property(values, (v) => {
        const { problems } = rowToInput({ row: 2, values: v } as ImportRow, config);
        for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it("a valid row round-trips: the template's own example reads back as itself", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z][a-z]{1,10}$/), fc.stringMatching(/^[a-z]{2,8}\.[a-z]{2,8}$/), async (name, local) => {
        const csv = `Full name,Email address,Job title,Purpose\n"${name} Smith",${local}@nhs.net,Care Coordinator,Arranging home care visits\n`;
        const file = await readImportFile({ bytes: Buffer.from(csv), fileName: "x.csv" });
        expect(file.rows).toHaveLength(1);
        expect(file.rows[0]!.values).toMatchObject({ fullName: `${name} Smith`, email: `${local}@nhs.net`, jobTitle: "Care Coordinator" });
        const { reports } = checkRows({ rows: file.rows, config, today });
        expect(reports[0]).toMatchObject({ status: "ok", email: `${local}@nhs.net` });
      }),
      { numRuns: runs(50) },
    );
  });
});

describe("emails: hostile messages", () => {
  it("any bytes, or a real message mangled: an IncomingEmail that matches its schema, or a validation error", async () => {
    await fc.assert(
      fc.asyncProperty(mangled(emails), async (bytes) => {
        const raw = Buffer.from(bytes);
        let email: Awaited<ReturnType<typeof parseEmail>> | undefined;
        await expectOnlyValidationErrorAsync(async () => {
          email = await parseEmail(raw, { maxBytes: 1024 * 1024 });
        });
        if (!email) return;
        expect(incomingEmailSchema.safeParse(email).success).toBe(true);
        // The rules that read a parsed email never throw on what the parser let through.
        classifyEmail(email, { operatorMailbox: "brokerage@council.example.org" });
        mentionedAddresses(email);
        referencedRequest(email);
        ownWords(email.text);
      }),
      { numRuns: runs(150) },
    );
  });

  it("hostile headers and bodies written into a message", async () => {
    const line = hostileString.map((s) => s.replace(/[\r\n]/g, " ").slice(0, 2000));
    await fc.assert(
      fc.asyncProperty(line, line, line, line, fc.string({ maxLength: 3000 }), async (from, subject, messageId, auth, body) => {
        const raw = Buffer.from(
          `From: ${from}\r\nTo: brokerage@council.example.org\r\nSubject: ${subject}\r\nMessage-ID: ${messageId}\r\nAuthentication-Results: ${auth}\r\nIn-Reply-To: ${messageId}\r\nContent-Type: text/plain; charset=${subject.slice(0, 20)}\r\n\r\n${body}`,
        );
        await expectOnlyValidationErrorAsync(async () => {
          const email = await parseEmail(raw);
          classifyEmail(email, { operatorMailbox: "brokerage@council.example.org" });
        });
        parseAuthenticationResults(auth);
      }),
      { numRuns: runs(150) },
    );
  });

  it("an empty or over-large message is refused with a message for a person", async () => {
    for (const raw of [Buffer.alloc(0), Buffer.alloc(2048, 0x61)]) {
      const error = await parseEmail(raw, { maxBytes: 1024 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).userMessage).toMatch(/message is (empty|larger)/);
    }
  });

  it("a valid message round-trips: what was written is what is read", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z]{2,8}\.[a-z]{2,8}$/), fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,40}[A-Za-z]$/), fc.stringMatching(/^[A-Za-z0-9 .,]{1,200}$/), async (local, subject, body) => {
        const raw = Buffer.from(`From: ${local}@nhs.net\r\nSubject: ${subject}\r\nMessage-ID: <${local}@example.org>\r\n\r\n${body}\r\n`);
        const email = await parseEmail(raw);
        expect(email.from?.address).toBe(`${local}@nhs.net`);
        expect(email.subject).toBe(subject);
        expect(email.messageId).toBe(`${local}@example.org`);
        expect(email.text.trim()).toBe(body.trim());
      }),
      { numRuns: runs(50) },
    );
  });
});
