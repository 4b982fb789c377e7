import { otlpExport } from "@/lib/rest/otlp-http";

// OTLP/HTTP traces (server spans): an OpenTelemetry Collector's otlphttp exporter (endpoint https://HOST/api/v1/otlp) or an SDK.
export const POST = otlpExport("traces");
