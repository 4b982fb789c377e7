import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { hasDemoAccounts } from "@/lib/users/queries";
import { ROLE_LABELS } from "@/lib/users/schemas";
import { NavLinks, type NavItem } from "@/components/layout/nav-links";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { countUnread } from "@/lib/notifications/queries";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // No session (or it ended) goes to sign-in; a one-time password (new account, admin reset) to its change.
  const actor = await requireActor();
  const unread = await countUnread(actor);
  const items: NavItem[] = [
    { href: "/", label: "Dashboard" },
    { href: "/notifications", label: unread ? `Notifications (${unread} unread)` : "Notifications" },
    { href: "/apis", label: "API inventory" },
    { href: "/reviews", label: "Access reviews" },
    { href: "/incidents", label: "Incidents" },
    { href: "/documents", label: "Policies" },
    { href: "/training", label: "Training" },
    { href: "/acquisitions", label: "Acquisitions" },
    { href: "/controls", label: "ISM controls" },
    { href: "/account/tokens", label: "API tokens" },
    ...(canSometimes(actor, "evidence:export") ? [{ href: "/evidence", label: "Evidence" }] : []),
    ...(canSometimes(actor, "audit:read") ? [{ href: "/audit", label: "Audit log" }] : []),
    ...(canSometimes(actor, "user:read") ? [{ href: "/users", label: "Users" }] : []),
    ...(canSometimes(actor, "traffic:manage") ? [{ href: "/traffic", label: "Traffic sources" }] : []),
    ...(canSometimes(actor, "settings:manage") ? [{ href: "/settings", label: "Settings" }] : []),
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <aside className="sidebar">
          <Link href="/" className="brand">
            ApiLedger
          </Link>
          <NavLinks items={items} />
          <div className="who">
            <strong>{actor.name}</strong>
            {ROLE_LABELS[actor.role]}
            <div className="row" style={{ marginTop: "0.5rem" }}>
              <Link href="/account/password" className="small sidebar-link">
                Change password
              </Link>
              <Link href="/account/sessions" className="small sidebar-link">
                Sessions
              </Link>
              <Link href="/account/security" className="small sidebar-link">
                Second factors
              </Link>
              <SignOutButton />
            </div>
          </div>
        </aside>
        <div>
          {(await hasDemoAccounts()) ? (
            <div className="banner" role="note">
              <strong>Demo data:</strong> demo accounts have a published password.{" "}
              <span className="banner-more">Deactivate them (Users) before recording real systems.</span>
            </div>
          ) : null}
          <main id="main">{children}</main>
        </div>
      </div>
    </>
  );
}
