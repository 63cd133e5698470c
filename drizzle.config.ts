import { defineConfig } from "drizzle-kit";

// drizzle-kit reads the schema and writes SQL migrations to drizzle/; the app applies them
// itself (embedded default) or through `portal db migrate` (a real PostgreSQL server).
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema/index.ts",
  out: "./drizzle",
});
