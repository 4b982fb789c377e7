import { firehoseDelivery } from "@/lib/traffic/firehose-http";

// Amazon Data Firehose's HTTP endpoint destination: API Gateway access logs, with the source's token as the access key.
export const POST = firehoseDelivery;
