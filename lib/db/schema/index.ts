export * from "./organisations";
export * from "./accounts";
export * from "./requests";
export * from "./audit";
export * from "./outbox";
export * from "./meta";
export * from "./auth";
export * from "./jobs";
