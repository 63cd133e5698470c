export { createLogger, logger, eventLog, REDACTED, REDACT_PATHS, type EventLog, type CreateLoggerOptions } from "./logger";
export { REQUEST_ID_HEADER, requestIdFor, loggablePath } from "./request-id";
