export * from "./types";
export { openDatabase, defaultDataDir, databaseUrlFromEnv, type DatabaseHandle, type OpenDatabaseOptions } from "./open-database";
export { migrateDatabase, migrationsFolder } from "./migrate";
export * as tables from "./schema";
