/**
 * The S3 side of the engine, as the rest of the app uses it (the one entry,
 * as inspect/index.ts is for the inspector): an address (s3://bucket/prefix)
 * parsed and written back, a client with deadlines, the mirror that copies a
 * prefix to a local folder the inspector reads, the objects it lists and
 * fetches (with progress), and the locks opslog-s3 keeps there.
 */
export { createS3Client, explainS3Error, limitsOf } from "./client.js";
export type { S3Limits } from "./client.js";
export { formatS3Url, isS3Url, parseS3Url } from "./location.js";
export type { S3Location } from "./location.js";
export { readS3Locks } from "./locks.js";
export { S3Mirror } from "./mirror.js";
export type { SyncResult, SyncScope } from "./mirror.js";
export { S3Objects } from "./objects.js";
export type { FetchProgress } from "./objects.js";
