"use server";

import { redirect } from "next/navigation";
import { publishContract } from "@/lib/contracts/publish-contract";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";

// POST (server action) — staff publish a contract PDF for a care package (organisations:edit, AUP-2.1c).
export async function publishContractAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("operator", "organisations", "edit", "/staff/contracts/new");
  const values = { carePackageRef: formText(formData, "carePackageRef"), title: formText(formData, "title") };
  const upload = formData.get("file");
  const file = upload instanceof File && upload.size > 0 ? { name: upload.name, bytes: new Uint8Array(await upload.arrayBuffer()) } : null;
  const { database, config, clock } = await portal();
  let contractId: string;
  try {
    ({ contractId } = await publishContract({ db: database.db, actor: await webActor(config, viewer), clock, viewer, input: values, file }));
  } catch (error) {
    return formStateFromError(error, values);
  }
  redirect(`/staff/contracts/${contractId}?published=1`);
}
