"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

export type NavItem = { href: string; label: string };

/**
 * The main navigation. On a phone it folds behind a "Menu" button (the list would otherwise fill the
 * first screen) and folds again after each navigation; from 801 px up the button is hidden and the list
 * always shown.
 */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  // Open at the page it was opened on: navigating elsewhere folds it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <nav aria-label="Main" className={open ? "nav nav-open" : "nav"}>
      <button
        type="button"
        className="btn btn-small nav-toggle"
        aria-expanded={open}
        aria-controls="main-nav-list"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        {open ? "Close menu" : "Menu"}
      </button>
      <ul id="main-nav-list">
        {items.map((item) => {
          const active =
            item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={active ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
