import Link from "next/link";

/** A record or page that does not exist (HTTP 404), inside the app's shell. */
export default function NotFound() {
  return (
    <div className="card stack" role="alert">
      <h1>Not found</h1>
      <p>That page or record does not exist, or it was deleted.</p>
      <p>
        <Link href="/">Go to the dashboard</Link> · <Link href="/apis">API inventory</Link>
      </p>
    </div>
  );
}
