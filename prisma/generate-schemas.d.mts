export declare const providers: Record<"sqlite" | "postgres", { provider: string }>;
export declare function renderSchema(name: "sqlite" | "postgres"): string;
