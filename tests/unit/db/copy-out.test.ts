import { EventEmitter } from "node:events";
import type { ClientBase } from "pg";
import { describe, expect, it } from "vitest";
import { copyOut } from "@/lib/db/copy-out";

/**
 * copyOut's reading of the protocol, against a stand-in for node-postgres's client and
 * connection: the server's messages are fed as socket chunks cut at every byte, and the rows
 * handed on, and what node-postgres gets back, are compared byte for byte.
 */

const message = (type: string, body: Buffer | string) => {
  const payload = typeof body === "string" ? Buffer.from(body, "latin1") : body;
  const header = Buffer.alloc(5);
  header[0] = type.charCodeAt(0);
  header.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
};

const ROWS = [Buffer.from("PGCOPY\n\xff\r\n\0header", "latin1"), Buffer.from("first row"), Buffer.alloc(0), Buffer.alloc(300, 7), Buffer.from("last")];
const copyOutResponse = message("H", Buffer.from([1, 0, 0]));
const notice = message("N", "Snotice\0\0");
const copyData = ROWS.map((row) => message("d", row));
const copyDone = message("c", "");
const afterCopy = Buffer.concat([message("C", "COPY 5\0"), message("Z", "I")]);
const errorResponse = message("E", "SERROR\0Mdivision by zero\0\0");

/** A client that submits the query to a connection whose stream the test writes to, as node-postgres would. */
function standIn() {
  const stream = new EventEmitter() as EventEmitter & { listeners(event: "data"): ((chunk: Buffer) => void)[] };
  const toPg: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => toPg.push(Buffer.from(chunk)));
  const sent: string[] = [];
  const connection = { stream, query: (text: string) => sent.push(text) };
  let query: { handleReadyForQuery(): void; handleError(error: Error): void } | null = null;
  let submitError: Error | undefined;
  const client = {
    query(submittable: { submit(connection: unknown): Error | undefined; handleReadyForQuery(): void; handleError(error: Error): void }) {
      query = submittable;
      submitError = submittable.submit(connection);
    },
  } as unknown as ClientBase;
  const feed = (bytes: Buffer, cuts: number[]) => {
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      // Each chunk a fresh Buffer, as a socket gives: copyOut may move bytes inside it.
      stream.emit("data", Buffer.from(bytes.subarray(from, cut)));
      from = cut;
    }
  };
  return { client, stream, toPg, sent, feed, query: () => query!, submitError: () => submitError };
}

describe("copyOut", () => {
  it("hands on exactly the rows' bytes and gives node-postgres back what follows CopyDone, however the socket cuts them", async () => {
    const stream = Buffer.concat([copyOutResponse, copyData[0]!, notice, ...copyData.slice(1), copyDone, afterCopy]);
    const rows = Buffer.concat(ROWS);
    const cutsToTry: number[][] = [[]];
    for (let cut = 1; cut < stream.length; cut += 1) cutsToTry.push([cut]);
    for (let first = 1; first < 40; first += 1) cutsToTry.push([first, first + 3, first + 5, first + 9, first + 320]);
    for (const cuts of cutsToTry) {
      const pg = standIn();
      const consumed: Buffer[] = [];
      const done = copyOut(pg.client, "copy t to stdout", (bytes) => consumed.push(Buffer.from(bytes)));
      expect(pg.sent).toEqual(["copy t to stdout"]);
      pg.feed(stream, cuts.filter((cut) => cut < stream.length));
      expect(Buffer.concat(consumed).equals(rows), `cuts ${cuts.join(",")}`).toBe(true);
      expect(Buffer.concat(pg.toPg).equals(afterCopy), `cuts ${cuts.join(",")}`).toBe(true);
      expect(pg.stream.listeners("data")).toHaveLength(1);
      pg.query().handleReadyForQuery();
      await expect(done).resolves.toBeUndefined();
    }
  });

  it("gives node-postgres the ErrorResponse whole, wherever it is cut, and rejects with the error it reports", async () => {
    const stream = Buffer.concat([copyOutResponse, copyData[0]!, copyData[1]!, errorResponse, message("Z", "I")]);
    const errorAt = copyOutResponse.length + copyData[0]!.length + copyData[1]!.length;
    for (let cut = 1; cut < stream.length; cut += 1) {
      const pg = standIn();
      const consumed: Buffer[] = [];
      const done = copyOut(pg.client, "copy t to stdout", (bytes) => consumed.push(Buffer.from(bytes)));
      pg.feed(stream, [cut]);
      expect(Buffer.concat(consumed).equals(Buffer.concat([ROWS[0]!, ROWS[1]!])), `cut ${cut}`).toBe(true);
      expect(Buffer.concat(pg.toPg).equals(stream.subarray(errorAt)), `cut ${cut}`).toBe(true);
      const serverError = new Error("division by zero");
      pg.query().handleError(serverError);
      await expect(done).rejects.toBe(serverError);
    }
  });

  it("reads the rest of the COPY after the consumer throws, so the connection stays usable, then rejects with that error", async () => {
    const pg = standIn();
    let calls = 0;
    const failure = new Error("not a binary COPY");
    const done = copyOut(pg.client, "copy t to stdout", () => {
      calls += 1;
      throw failure;
    });
    pg.feed(Buffer.concat([copyOutResponse, ...copyData, copyDone, afterCopy]), [20, 40, 200]);
    expect(calls).toBe(1);
    expect(Buffer.concat(pg.toPg).equals(afterCopy)).toBe(true);
    pg.query().handleReadyForQuery();
    await expect(done).rejects.toBe(failure);
  });

  it("gives node-postgres its listener back when the connection dies mid-COPY", async () => {
    const pg = standIn();
    const done = copyOut(pg.client, "copy t to stdout", () => undefined);
    pg.feed(Buffer.concat([copyOutResponse, copyData[0]!]), []);
    const lost = new Error("Connection terminated unexpectedly");
    pg.query().handleError(lost);
    await expect(done).rejects.toBe(lost);
    pg.stream.emit("data", Buffer.from("Z"));
    expect(pg.toPg.map((chunk) => chunk.toString())).toEqual(["Z"]);
  });

  it("refuses a connection that does not have node-postgres's one data listener", () => {
    const pg = standIn();
    pg.stream.on("data", () => undefined);
    void copyOut(pg.client, "copy t to stdout", () => undefined).catch(() => undefined);
    expect(pg.submitError()?.message).toMatch(/one data listener/);
    expect(pg.sent).toEqual([]);
  });
});
