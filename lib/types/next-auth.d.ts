import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/authz/policy";

declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string; role: Role; sid: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    /** The UserSession row this cookie belongs to (lib/sessions). */
    sid?: string;
  }
}
