// npm run architecture — redraws the layer diagram in ARCHITECTURE.md from the code's imports.
import fs from "node:fs";
import path from "node:path";
import { architectureDiagram, withDiagram } from "@/lib/architecture/diagram";
import { ROOT } from "@/lib/cli/run";

const file = path.join(ROOT, "ARCHITECTURE.md");
fs.writeFileSync(file, withDiagram(fs.readFileSync(file, "utf8"), architectureDiagram(ROOT)));
console.log(`Redrew the diagram in ${file}.`);
