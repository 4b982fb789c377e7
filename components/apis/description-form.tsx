"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { FormMessage, type FormMessageValue } from "@/components/forms/form-message";
import { attachDescriptionAction, removeDescriptionAction } from "@/lib/openapi-scan/actions";

/** Upload (or fetch from an allowed host) the API's OpenAPI description; remove it. */
export function DescriptionForm({
  apiId,
  canFetch,
  hasDescription,
}: {
  apiId: string;
  canFetch: boolean;
  hasDescription: boolean;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [message, setMessage] = useState<FormMessageValue>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(async () => {
          const result = await attachDescriptionAction(apiId, data);
          if (!result.ok) {
            setMessage({ kind: "error", text: result.message });
            return;
          }
          formRef.current?.reset();
          setMessage({
            kind: "ok",
            text: `Scanned ${result.data.operations} operations: ${result.data.anonWrites} writes and ${result.data.anonReads} reads callable without authenticating, ${result.data.findings} finding(s).`,
          });
          router.refresh();
        });
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <div className="field">
          <label htmlFor="description-file">Description file (JSON or YAML)</label>
          <input
            id="description-file"
            name="file"
            type="file"
            accept=".json,.yaml,.yml,application/json,application/yaml"
          />
        </div>
        {canFetch ? (
          <div className="field">
            <label htmlFor="description-url">…or fetch from URL</label>
            <span id="description-url-hint" className="hint">
              Only from hosts an administrator has allowed.
            </span>
            <input id="description-url" name="url" type="url" aria-describedby="description-url-hint" />
          </div>
        ) : null}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Scanning…" : hasDescription ? "Replace and scan" : "Attach and scan"}
        </button>
        {hasDescription ? (
          <button
            type="button"
            className="btn"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await removeDescriptionAction(apiId);
                setMessage(
                  result.ok ? { kind: "ok", text: "Description removed." } : { kind: "error", text: result.message },
                );
                router.refresh();
              })
            }
          >
            Remove description
          </button>
        ) : null}
      </div>
    </form>
  );
}
