import { describe, expect, it } from "vitest";
import { sendAll, type BatchStatement } from "@/lib/db/pipeline";

/**
 * The batch writers' pipeline: one statement in flight at a time, in the order they were made,
 * the next one made while it runs, failures reported after all have answered.
 */

function statement(log: string[], name: string, outcome: "ok" | "fail", ms = 5): BatchStatement {
  return () => {
    log.push(`start ${name}`);
    return new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        log.push(`end ${name}`);
        if (outcome === "ok") resolve();
        else reject(new Error(`${name} refused`));
      }, ms),
    );
  };
}

/** A writer whose every statement is logged when it is made (as the batch writers build them). */
function* made(log: string[], specs: [string, "ok" | "fail"][], ms = 5): Generator<BatchStatement> {
  for (const [name, outcome] of specs) {
    log.push(`make ${name}`);
    yield statement(log, name, outcome, ms);
  }
}

const events = (log: string[], kind: string) => log.filter((line) => line.startsWith(kind)).map((line) => line.slice(kind.length + 1));

describe("sendAll", () => {
  it("runs every statement once, one at a time, in the order made", async () => {
    const log: string[] = [];
    await sendAll(made(log, [["a", "ok"], ["b", "ok"], ["c", "ok"], ["d", "ok"], ["e", "ok"]]));
    expect(events(log, "start")).toEqual(["a", "b", "c", "d", "e"]);
    expect(events(log, "end")).toEqual(["a", "b", "c", "d", "e"]);
    // Never two in flight: each start follows the end of the one before.
    const sequence = log.filter((line) => !line.startsWith("make"));
    for (let i = 1; i < sequence.length; i += 2) expect(sequence[i]).toBe(sequence[i - 1]!.replace("start", "end"));
  });

  it("makes the next statement while one runs, but never more than one ahead of it", async () => {
    const log: string[] = [];
    await sendAll(made(log, [["a", "ok"], ["b", "ok"], ["c", "ok"]], 20));
    // b is made while a runs; c only once a has answered and b has started.
    expect(log.indexOf("make b")).toBeLessThan(log.indexOf("end a"));
    expect(log.indexOf("make c")).toBeGreaterThan(log.indexOf("start b"));
    expect(log.indexOf("make c")).toBeLessThan(log.indexOf("end b"));
  });

  it("after a failure starts nothing more, and rethrows it once the statement in flight has answered", async () => {
    const log: string[] = [];
    await expect(sendAll(made(log, [["a", "fail"], ["b", "ok"], ["c", "ok"]]))).rejects.toThrow("a refused");
    expect(events(log, "start")).toEqual(["a"]);
  });

  it("when making a statement throws, waits for the one in flight, sends nothing more, and rethrows", async () => {
    const log: string[] = [];
    function* failing(): Generator<BatchStatement> {
      yield statement(log, "a", "ok", 20);
      throw new Error("cannot encode b");
    }
    await expect(sendAll(failing())).rejects.toThrow("cannot encode b");
    expect(log).toEqual(["start a", "end a"]);
  });

  it("settles at once with nothing to send", async () => {
    await expect(sendAll([])).resolves.toBeUndefined();
  });
});
