import "server-only";
import { cache } from "react";
import { getPortal } from "@/lib/runtime/server-portal";
import { authDeps } from "@/lib/runtime/auth-deps";

/** The process's portal, for pages and actions. */
export const portal = cache(() => getPortal());
export const deps = cache(async () => authDeps(await getPortal()));
