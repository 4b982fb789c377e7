import { notFound } from "next/navigation";

// Any path no page answers: the not-found page inside the app's shell (HTTP 404), for a signed-in user.
export default function Missing(): never {
  notFound();
}
