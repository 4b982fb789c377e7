// A process that stands in for one instance behind a load balancer: it takes `count` requests for one
// caller from the shared limits and prints how many were let through (rate-limit.integration.test.ts).
import { resetRateLimits, takeRequest } from "@/lib/http/rate-limit";

const [key = "caller", count = "1", startAt = "0"] = process.argv.slice(2);
// Instances started together send together, whatever their start-up took.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
let allowed = 0;
for (let i = 0; i < Number(count); i++) if ((await takeRequest(key)).ok) allowed++;
await resetRateLimits();
console.log(JSON.stringify({ allowed }));
