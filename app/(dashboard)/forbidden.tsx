import { headers } from "next/headers";
import { Forbidden } from "@/components/layout/forbidden";
import { refusalFor } from "@/lib/authz/page-refusals";

/** A page the policy refused (HTTP 403), inside the app's shell, saying why. */
export default async function ForbiddenPage() {
  const path = (await headers()).get("x-apiledger-path") ?? "";
  return <Forbidden message={refusalFor(path)} />;
}
