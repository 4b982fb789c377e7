"use client";
import { useRouter } from "next/navigation";
import { EnrolFactor } from "@/components/mfa/enrol-factor";

/** Adding a factor from the account page; the list above refreshes when it is done. */
export function AddFactor() {
  const router = useRouter();
  return <EnrolFactor onDone={() => router.refresh()} />;
}
