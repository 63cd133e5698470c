import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEmail } from "@/lib/intake/parse-email";

export const FIXTURES = path.resolve(__dirname, "../../fixtures/email");
export const AUTHSERV_ID = "mx.council.example.org";
export const OPERATOR_MAILBOX = "brokerage@council.example.org";

export const raw = (name: string) => readFileSync(path.join(FIXTURES, name));
export const parsed = (name: string, maxBytes?: number) => parseEmail(raw(name), { maxBytes });
