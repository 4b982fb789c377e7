// The outcome line above a form: success is announced politely (status), failure at once (alert). A
// warning is a success that needs a look (a scan that found critical findings): polite, not green.
export type FormMessageValue = { kind: "ok" | "warn" | "error"; text: string } | null;

const CLASS = { ok: "alert-ok", warn: "alert-warn", error: "alert-error" } as const;

export function FormMessage({ message }: { message: FormMessageValue }) {
  if (!message) return null;
  return (
    <div className={`alert ${CLASS[message.kind]}`} role={message.kind === "error" ? "alert" : "status"}>
      {message.text}
    </div>
  );
}
