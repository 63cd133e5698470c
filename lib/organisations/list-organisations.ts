import { asc, eq } from "drizzle-orm";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";

/** Provider organisations by name, for filters and pickers. */
export async function listProviderOrganisations(db: Executor): Promise<{ id: string; name: string; odsCode: string; status: string }[]> {
  return db
    .select({ id: organisations.id, name: organisations.name, odsCode: organisations.odsCode, status: organisations.status })
    .from(organisations)
    .where(eq(organisations.kind, "provider"))
    .orderBy(asc(organisations.name));
}
