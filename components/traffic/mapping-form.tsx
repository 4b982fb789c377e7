"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SubmitButton } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { MappingFields } from "@/components/traffic/mapping-fields";
import { MappingPreviewPanel } from "@/components/traffic/mapping-preview";
import { updateSourceMappingAction } from "@/lib/traffic/actions";
import { EMPTY_MAPPING, ZFieldMapping, type TFieldMapping } from "@/lib/traffic/field-mapping";

/** Changes an "any JSON" source's field mapping, tried on a sample first. */
export function MappingForm({ sourceId, mapping }: { sourceId: string; mapping: TFieldMapping | null }) {
  const router = useRouter();
  const [value, setValue] = useState<TFieldMapping>(mapping ?? EMPTY_MAPPING);
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZFieldMapping,
          value,
          (input) => updateSourceMappingAction(sourceId, input),
          () => {
            router.refresh();
            return "Mapping saved. Records in the quarantine are read with it when you read them again.";
          },
        );
      }}
    >
      <FormMessage message={message} />
      <MappingFields value={value} onChange={setValue} errors={errors} />
      <MappingPreviewPanel mapping={value} />
      <SubmitButton pending={pending} label="Save mapping" pendingLabel="Saving…" />
    </form>
  );
}
