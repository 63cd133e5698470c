export { recordAudit } from "./record-audit";
export { verifyAuditChain, type ChainVerdict } from "./verify-chain";
export { systemActor, type Actor, type AuditInput, type Channel } from "./events";
export { GENESIS_HASH, canonicalEncoding, hashEvent } from "./canonical";
