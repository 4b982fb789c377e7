// For `npm run bench:api -- --profile DIR`: loaded with NODE_OPTIONS=--import (which may not carry
// --cpu-prof itself), it profiles the app's HTTP server process with the inspector and writes
// DIR/app-<pid>.cpuprofile when the process exits (open it in Chrome's DevTools, Performance tab).
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.APILEDGER_CPU_PROFILE_DIR;
if (dir && process.argv.some((a) => a.endsWith("http-server.ts"))) {
  const session = new inspector.Session();
  session.connect();
  // A session in the same thread answers synchronously, so the profile can be written on "exit".
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `app-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
