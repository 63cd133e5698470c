import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportSignaturePage, downloadContractDocument } from "@/lib/contracts/export-contract";
import { publishContract } from "@/lib/contracts/publish-contract";
import { contractDetail, organisationContracts, staffContracts } from "@/lib/contracts/queries";
import { sha256Hex } from "@/lib/contracts/rules";
import { signContract, startContractSigning } from "@/lib/contracts/sign-contract";
import { tables } from "@/lib/db";
import { DEMO_SECURITY_NUMBER } from "@/lib/demo/demo-data";
import { pdfText } from "@/tests/support/pdf-text";
import { actorFor, ALEX, AMINA, appError, CHRIS, createRequestWorld, PRIYA, SAM, TOM, viewerFor, type RequestWorld } from "../requests/fixtures";

const secretsKey = Buffer.from(process.env.PORTAL_SECRETS_KEY!, "base64");
const digitsAt = (positions: number[]) => positions.map((p) => DEMO_SECURITY_NUMBER.charAt(p - 1));
const wrongDigitsAt = (positions: number[]) => positions.map((p) => String((Number(DEMO_SECURITY_NUMBER.charAt(p - 1)) + 1) % 10));

async function contractPdf(title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText(title);
  return pdf.save();
}

describe("contracts signed online (AUP-2.1c)", () => {
  let world: RequestWorld;
  let pdf: Uint8Array;
  beforeEach(async () => {
    world = await createRequestWorld();
    const [ind] = await world.db.insert(tables.individuals).values({ sourceId: "test-ind-1", fullName: "Ada Lovelace" }).returning();
    await world.db.insert(tables.carePackages).values({ sourceId: "PKG-T1", organisationId: world.meadowbankId, individualId: ind!.id, service: "Home care", startDate: "2026-01-01" });
    pdf = await contractPdf("Contract for home care");
  });
  afterEach(async () => {
    await world?.dispose();
  });

  const as = async (email: string) => ({ db: world.db, clock: world.clock, config: world.config, actor: await actorFor(world.db, email), viewer: await viewerFor(world, email) });
  const publish = async (email = SAM) => publishContract({ ...(await as(email)), input: { carePackageRef: "PKG-T1", title: "Home care 2026" }, file: { name: "home-care.pdf", bytes: pdf } });

  it("AUP-2.1c staff publish a PDF, the Lead correspondent signs with their name and three digits, and the record names signer, time, address and the document's SHA-256", async () => {
    const { contractId, sha256 } = await publish();
    expect(sha256).toBe(sha256Hex(pdf));
    const priya = await as(PRIYA);
    expect((await organisationContracts(world.db, priya.viewer)).map((c) => [c.id, c.status])).toEqual([[contractId, "published"]]);
    const downloaded = await downloadContractDocument({ ...priya, contractId });
    expect(sha256Hex(downloaded.document)).toBe(sha256);

    const { challengeId, positions } = await startContractSigning({ ...priya, contractId });
    expect(positions).toHaveLength(world.config.signIn.securityDigitsAsked);
    const outcome = await signContract({ ...priya, secretsKey, contractId, input: { challengeId, typedName: "  priya   SHAH ", digits: digitsAt(positions), confirm: "yes" } });
    expect(outcome).toMatchObject({ ok: true, sha256 });

    const signed = await contractDetail(world.db, priya.viewer, contractId);
    expect(signed).toMatchObject({ status: "signed", signedById: priya.viewer.accountId, signedName: "priya   SHAH", signedClientAddress: "10.1.2.3", signedSha256: sha256 });
    expect(signed.signedAt?.toISOString()).toBe(world.clock.now().toISOString());

    // Staff see its status in the back office.
    expect((await staffContracts(world.db, (await as(ALEX)).viewer)).map((c) => [c.id, c.status])).toEqual([[contractId, "signed"]]);

    // AUP-4.1: the signature page is a PDF naming the signer and the hash; its export is logged (AUP-5.2f).
    const page = await exportSignaturePage({ ...priya, contractId });
    const text = pdfText(page.pdf);
    expect(text).toContain("Signer: priya   SHAH");
    expect(text).toContain(sha256);
    const actions = (await world.db.select({ action: tables.auditEvents.action }).from(tables.auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["contract.published", "contract.document_downloaded", "contract.signed", "contract.signature_page_exported"]));
  });

  it("AUP-2.1c a signed contract is immutable: the database refuses to change or delete it", async () => {
    const { contractId } = await publish();
    const priya = await as(PRIYA);
    const { challengeId, positions } = await startContractSigning({ ...priya, contractId });
    await signContract({ ...priya, secretsKey, contractId, input: { challengeId, typedName: "Priya Shah", digits: digitsAt(positions), confirm: "yes" } });
    await expect(world.handle.superuserExecute(`update contracts set signed_name = 'Someone Else' where id = '${contractId}'`)).rejects.toThrow(/immutable/);
    await expect(world.handle.superuserExecute(`update contracts set document = '\\x00' where id = '${contractId}'`)).rejects.toThrow(/immutable/);
    await expect(world.handle.superuserExecute(`delete from contracts where id = '${contractId}'`)).rejects.toThrow(/never deleted/);
    expect((await appError(startContractSigning({ ...priya, contractId }))).code).toBe("conflict");
  });

  it("AUP-2.1c the typed name must be the signer's own, and wrong digits fail generically, end the challenge and count towards the lockout", async () => {
    const { contractId } = await publish();
    const priya = await as(PRIYA);
    const first = await startContractSigning({ ...priya, contractId });
    const wrongName = await appError(signContract({ ...priya, secretsKey, contractId, input: { challengeId: first.challengeId, typedName: "Tom Baker", digits: digitsAt(first.positions), confirm: "yes" } }));
    expect(wrongName.fieldErrors.typedName).toBeTruthy();
    const wrong = await signContract({ ...priya, secretsKey, contractId, input: { challengeId: first.challengeId, typedName: "Priya Shah", digits: wrongDigitsAt(first.positions), confirm: "yes" } });
    expect(wrong).toEqual({ ok: false, reason: "wrong_digits" });
    // The challenge is over: even the right digits now fail, and new positions are needed.
    const replay = await signContract({ ...priya, secretsKey, contractId, input: { challengeId: first.challengeId, typedName: "Priya Shah", digits: digitsAt(first.positions), confirm: "yes" } });
    expect(replay).toEqual({ ok: false, reason: "challenge_over" });
    const [throttle] = await world.db.select().from(tables.signInThrottles).where(eq(tables.signInThrottles.key, `account:${priya.viewer.accountId}`));
    expect(throttle?.failures).toBe(1);
    expect((await contractDetail(world.db, priya.viewer, contractId)).status).toBe("published");
    const actions = (await world.db.select({ action: tables.auditEvents.action }).from(tables.auditEvents)).map((e) => e.action);
    expect(actions).toContain("contract.signing_failed");
  });

  it("AUP-5.1d UAP-2.3 a care coordinator reads but cannot sign; Finance cannot see contracts; staff without organisations edit cannot publish", async () => {
    const { contractId } = await publish();
    const amina = await as(AMINA); // contracts: read
    expect((await contractDetail(world.db, amina.viewer, contractId)).id).toBe(contractId);
    expect((await appError(startContractSigning({ ...amina, contractId }))).code).toBe("forbidden");
    const tom = await as(TOM); // Finance: no contracts
    expect((await appError(organisationContracts(world.db, tom.viewer))).code).toBe("forbidden");
    expect((await appError(contractDetail(world.db, tom.viewer, contractId))).code).toBe("not_found");
    expect((await appError(publish(CHRIS))).code).toBe("forbidden");
    expect((await appError(publish(PRIYA))).code).toBe("forbidden");
  });

  it("AUP-5.2d another organisation's Lead correspondent can neither see nor sign the contract, whatever id is sent", async () => {
    const { contractId } = await publish();
    const priya = await as(PRIYA);
    const [riverside] = await world.db.select().from(tables.organisations).where(eq(tables.organisations.odsCode, "RV4D5"));
    const outsider = { ...priya.viewer, organisationId: riverside!.id };
    expect((await appError(contractDetail(world.db, outsider, contractId))).code).toBe("not_found");
    expect((await appError(startContractSigning({ ...priya, viewer: outsider, contractId }))).code).toBe("not_found");
    expect(await organisationContracts(world.db, outsider)).toEqual([]);
  });

  it("AUP-2.1c publishing checks the file and the package: nothing is written for bad input", async () => {
    const sam = await as(SAM);
    const notPdf = await appError(publishContract({ ...sam, input: { carePackageRef: "PKG-T1", title: "x" }, file: { name: "x.pdf", bytes: Buffer.from("hello") } }));
    expect(notPdf.fieldErrors.file).toMatch(/PDF/);
    const noPackage = await appError(publishContract({ ...sam, input: { carePackageRef: "PKG-NONE", title: "x" }, file: { name: "x.pdf", bytes: pdf } }));
    expect(noPackage.fieldErrors.carePackageRef).toBeTruthy();
    expect(await world.db.select({ id: tables.contracts.id }).from(tables.contracts)).toEqual([]);
  });
});
