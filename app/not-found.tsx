import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth-wrap">
      <div className="card stack auth-card">
        <h1>Not found</h1>
        <p>That page or record does not exist, or it was deleted.</p>
        <Link href="/">Go to the dashboard</Link>
      </div>
    </main>
  );
}
