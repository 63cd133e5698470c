import { describe, expect, it } from "vitest";
import { parseQueryReference, queryReference, statusAfterMessage } from "@/lib/queries/rules";

describe("query references and turns", () => {
  it("formats and reads back QRY references", () => {
    expect(queryReference(123)).toBe("QRY-000123");
    expect(parseQueryReference("Re: [QRY-000123] Missed visit")).toBe(123);
    expect(parseQueryReference("RE: qry-42 payment")).toBe(42);
  });
  it("finds no reference where there is none or it is not a number of ours", () => {
    for (const subject of ["Re: REQ-000123", "QRY-", "XQRY-000123", "QRY-0", ""]) expect(parseQueryReference(subject), subject).toBeNull();
  });
  it("a message passes the turn to the other side", () => {
    expect(statusAfterMessage("provider")).toBe("awaiting_operator");
    expect(statusAfterMessage("operator")).toBe("awaiting_provider");
  });
});
