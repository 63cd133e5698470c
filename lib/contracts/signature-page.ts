import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import type { ContractSummary } from "./queries";
import { contractReference } from "./rules";

const londonTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", dateStyle: "long", timeStyle: "long" });

/** Standard PDF fonts speak WinAnsi only: anything else becomes "?" rather than failing the page. */
const winAnsi = (text: string) => text.normalize("NFKC").replace(/[^\x20-\x7E\u00A0-\u00FF£€]/g, "?");

/**
 * The signature page of a signed contract (AUP-2.1c, AUP-4.1): who signed, the name they typed,
 * when (London time and UTC), from which address, and the SHA-256 of the exact document signed,
 * so a printed copy can be checked against the file.
 */
export async function signaturePagePdf(contract: ContractSummary, options: { operatorName: string; generatedAt: Date }): Promise<Uint8Array> {
  if (contract.status !== "signed" || !contract.signedAt || !contract.signedName) throw new Error("signature page of an unsigned contract");
  const reference = contractReference(contract.number);
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${reference} signature page`);
  pdf.setSubject(`Signed by ${winAnsi(contract.signedName)}; document SHA-256 ${contract.signedSha256}`);
  pdf.setProducer(options.operatorName);
  pdf.setCreationDate(options.generatedAt);
  const page = pdf.addPage([595.28, 841.89]); // A4
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  let y = 780;
  const line = (text: string, font = regular, size = 11) => {
    page.drawText(winAnsi(text), { x: 56, y, size, font, color: rgb(0.04, 0.05, 0.05) });
    y -= size + 9;
  };
  line(options.operatorName, bold, 12);
  y -= 10;
  line(`Contract signature page: ${reference}`, bold, 18);
  y -= 8;
  line(`Contract: ${contract.title}`);
  line(`Provider: ${contract.organisationName}`);
  line(`Care package: ${contract.carePackageRef} (${contract.service})`);
  line(`Document: ${contract.fileName}, ${contract.documentBytes} bytes`);
  y -= 10;
  line("Signed online by", bold, 13);
  line(`Signer: ${contract.signedName}`);
  line(`Signed at: ${londonTime.format(contract.signedAt)} (${contract.signedAt.toISOString()})`);
  line(`Client address: ${contract.signedClientAddress ?? "not recorded"}`);
  line("Identity confirmed by password, security-number digits at sign-in and again at signing.");
  y -= 10;
  line("SHA-256 of the document signed", bold, 13);
  line(contract.signedSha256 ?? "", mono, 9.5);
  y -= 10;
  line("To check a copy of the contract, compute its SHA-256 (for example `sha256sum file.pdf`)", regular, 9);
  line("and compare it with the value above. The signed record cannot be changed.", regular, 9);
  line(`Generated ${londonTime.format(options.generatedAt)}.`, regular, 9);
  return pdf.save();
}
