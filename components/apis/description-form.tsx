"use client";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
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
  const { message, pending, run } = useActionForm();
  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        run(
          () => attachDescriptionAction(apiId, data),
          (scan) => {
            formRef.current?.reset();
            router.refresh();
            const text = `Scanned ${scan.operations} operations: ${scan.anonWrites} writes and ${scan.anonReads} reads callable without authenticating, ${scan.findings} finding(s)${scan.worst ? `, the most severe ${scan.worst}` : ""}.`;
            // Not green when something serious was found: the findings below need a look.
            return scan.worst === "critical" || scan.worst === "high" ? { kind: "warn", text } : text;
          },
        );
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
              run(
                () => removeDescriptionAction(apiId),
                () => {
                  router.refresh();
                  return "Description removed.";
                },
              )
            }
          >
            Remove description
          </button>
        ) : null}
      </div>
    </form>
  );
}
