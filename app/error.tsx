"use client";

// The dashboard's layout itself reads the database (the signed-in person); when that fails, this
// boundary above it shows the same messages as the one inside the dashboard.
export { default } from "./(dashboard)/error";
