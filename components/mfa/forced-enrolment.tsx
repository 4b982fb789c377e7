"use client";
import { EnrolFactor } from "@/components/mfa/enrol-factor";

/** The enrolment a person must finish after their password; the dashboard opens once it is done. */
export function ForcedEnrolment() {
  return <EnrolFactor onDone={() => window.location.assign("/")} />;
}
