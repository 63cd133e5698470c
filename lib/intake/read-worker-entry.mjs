// The entry of the email parsing thread (lib/intake/email-reader.ts): on Node 20 a worker does
// not inherit tsx's loader from the process, so it registers it, then loads the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./read-worker.ts");
