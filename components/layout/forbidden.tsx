import Link from "next/link";

export function Forbidden({ message }: { message: string }) {
  return (
    <div className="card stack" role="alert">
      <h1>Not allowed</h1>
      <p>{message}</p>
      <p>
        <Link href="/apis">Back to the inventory</Link>
      </p>
    </div>
  );
}
