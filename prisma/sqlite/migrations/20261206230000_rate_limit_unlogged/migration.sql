-- Nothing on SQLite: the request counters are kept in the process's memory there (lib/http/rate-limit.ts).
-- The migration exists so both providers have the same list.
SELECT 1;
