// The entry of a verification worker thread (lib/audit/verify-parallel.ts): on Node 20 a worker
// does not inherit tsx's loader from the process, so it registers it, then loads the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./verify-worker.ts");
