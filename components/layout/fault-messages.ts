// What to tell people about a fault of the installation (lib/errors.ts gives each its digest), rather
// than "something went wrong". Shared by the page error screen and the page sections' boundaries.
export const FAULTS: Record<string, { title: string; text: string }> = {
  "apiledger-service-unavailable": {
    title: "The database is unavailable",
    text: "The database cannot be reached right now. Try again in a few seconds.",
  },
  "apiledger-storage-full": {
    title: "The server's storage is full",
    text: "Ask an administrator to free disk space, then try again.",
  },
};
