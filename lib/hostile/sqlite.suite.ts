import { defineHostileSuite } from "@/lib/hostile/hostile-input";

defineHostileSuite("sqlite", 3160);
