import { asc } from "drizzle-orm";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";

/** The organisations an audit search can be narrowed to, by name (the search form's list). */
export async function listOrganisationOptions(db: Executor): Promise<{ id: string; name: string; odsCode: string }[]> {
  return db
    .select({ id: organisations.id, name: organisations.name, odsCode: organisations.odsCode })
    .from(organisations)
    .orderBy(asc(organisations.name), asc(organisations.odsCode));
}
