import { defineHostileSuite } from "@/lib/hostile/hostile-input";

defineHostileSuite("postgres", 3161);
