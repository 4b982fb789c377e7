import { defineContractSuite } from "@/lib/rest-contract/rest-contract";

await defineContractSuite("sqlite", 3186);
