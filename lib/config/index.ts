export * from "./schema";
export { ConfigError, getConfig, loadConfig, mergeConfig, resetConfigCache, validateConfig } from "./load-config";
