import { describe, expect, it } from "vitest";
import { Pipeline } from "@/lib/db/pipeline";

/** The batch writers' pipeline: one statement in flight at a time, failures reported after all have answered. */

function statement(log: string[], name: string, outcome: "ok" | "fail", ms = 5) {
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

describe("Pipeline", () => {
  it("starts each statement only when the one before has answered, and returns while it runs", async () => {
    const log: string[] = [];
    const pipeline = new Pipeline();
    await pipeline.send(statement(log, "a", "ok"));
    log.push("preparing b");
    await pipeline.send(statement(log, "b", "ok"));
    log.push("preparing c");
    await pipeline.send(statement(log, "c", "ok"));
    await pipeline.settle();
    expect(log).toEqual(["start a", "preparing b", "end a", "start b", "preparing c", "end b", "start c", "end c"]);
  });

  it("after a failure sends nothing more, and settle() rethrows it once the statement in flight has answered", async () => {
    const log: string[] = [];
    const pipeline = new Pipeline();
    await pipeline.send(statement(log, "a", "fail"));
    expect(pipeline.failed).toBe(false); // not known until it answers
    await pipeline.send(statement(log, "b", "ok"));
    expect(pipeline.failed).toBe(true);
    await expect(pipeline.settle()).rejects.toThrow("a refused");
    expect(log).toEqual(["start a", "end a"]);
  });

  it("settles at once with nothing sent", async () => {
    await expect(new Pipeline().settle()).resolves.toBeUndefined();
  });
});
