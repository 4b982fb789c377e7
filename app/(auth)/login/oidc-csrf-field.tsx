"use client";
import { useEffect, useState } from "react";
import { getCsrfToken } from "next-auth/react";

export function OidcCsrfField() {
  const [token, setToken] = useState("");
  useEffect(() => {
    void getCsrfToken().then((t) => setToken(t ?? ""));
  }, []);
  return <input type="hidden" name="csrfToken" value={token} />;
}
