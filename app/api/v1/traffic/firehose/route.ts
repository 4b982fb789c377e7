import { firehoseDelivery } from "@/lib/rest/firehose-http";

// Amazon Data Firehose's HTTP endpoint destination: API Gateway access logs, with the source's token as the access key.
export const POST = firehoseDelivery;
