// The checkpoint file: one signed checkpoint per line (see checkpoint-format.ts), appended and never
// rewritten, outside the database. Its point is that the database administrator cannot change it: keep
// it on a disk, a host or a write-once mount they do not control (APILEDGER_CHECKPOINT_FILE), and copy
// it away as you would logs. Lines the process cannot parse are skipped when read (a torn last line after
// a crash), never repaired in place.
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/runtime/secrets";
import { parseCheckpointLine } from "@/lib/audit/checkpoint-format";

export function checkpointFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.APILEDGER_CHECKPOINT_FILE?.trim();
  return configured ? path.resolve(configured) : path.join(dataDir(env), "audit-checkpoints.log");
}

/** Appends one line and waits until it is on disk (O_APPEND: concurrent writers never interleave a line). */
export function appendCheckpointLine(line: string, file = checkpointFilePath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, "a", 0o600);
  try {
    fs.writeSync(fd, `${line}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every checkpoint-looking line of a file (signatures are checked by the caller), in file order. */
export function readCheckpointLines(file = checkpointFilePath()): { text: string; signature: string }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map(parseCheckpointLine)
    .filter((c): c is { text: string; signature: string } => c !== null);
}
