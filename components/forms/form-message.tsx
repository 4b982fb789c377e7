// The outcome line above a form: success is announced politely (status), failure at once (alert).
export type FormMessageValue = { kind: "ok" | "error"; text: string } | null;

export function FormMessage({ message }: { message: FormMessageValue }) {
  if (!message) return null;
  return (
    <div
      className={`alert ${message.kind === "ok" ? "alert-ok" : "alert-error"}`}
      role={message.kind === "ok" ? "status" : "alert"}
    >
      {message.text}
    </div>
  );
}
