import { defineContractSuite } from "@/lib/rest-contract/rest-contract";

await defineContractSuite("postgres", 3187);
