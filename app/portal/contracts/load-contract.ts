import "server-only";
import { notFound } from "next/navigation";
import type { Viewer } from "@/lib/auth/permissions";
import { contractDetail } from "@/lib/contracts/queries";
import { contractIdSchema } from "@/lib/contracts/schema";
import { isAppError } from "@/lib/errors";
import { portal } from "../../_lib/portal";
import { auditRefusal } from "../../_lib/viewer";

/** The contract a URL names, if the viewer may read it; otherwise the refusal is audited and the answer is 404 (AUP-5.2d). */
export async function loadContract(viewer: Viewer, id: string, path: string) {
  const parsed = contractIdSchema.safeParse(id);
  const { database } = await portal();
  const contract = parsed.success
    ? await contractDetail(database.db, viewer, parsed.data).catch((error: unknown) => {
        if (isAppError(error) && error.code === "not_found") return null;
        throw error;
      })
    : null;
  if (!contract) {
    await auditRefusal(viewer, { path, kind: "contracts" });
    notFound();
  }
  return contract;
}
