"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition } from "react";

/**
 * Table state lives in the URL: a view can be bookmarked and shared, and the server renders exactly the
 * rows it describes. `update` merges a patch into the current search parameters (null deletes a key);
 * any change other than the page itself goes back to page 1.
 */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [isPending, startTransition] = useTransition();

  const hrefWith = useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      if (!("page" in patch)) next.delete("page");
      const qs = next.toString();
      return qs ? `${pathname}?${qs}` : pathname;
    },
    [pathname, searchParams],
  );

  const update = useCallback(
    (patch: Record<string, string | null>) => {
      startTransition(() => router.push(hrefWith(patch), { scroll: false }));
    },
    [router, hrefWith],
  );

  return { searchParams, update, hrefWith, isPending };
}
