/**
 * The S3 connection of an S3 store: an S3Client built from its location, with
 * credentials from the AWS SDK's default chain only (environment, shared
 * config and credentials files, the named profile, SSO, instance roles):
 * the explorer never reads, stores or forwards a secret itself. Every
 * request has a deadline and a bounded number of attempts (S3Limits), so a
 * server that takes the connection and never answers fails the open instead
 * of holding it. And the SDK's errors turned into messages that say what to
 * do, echoing only what an S3 server said, never the body of another kind of
 * answer.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { OpslogError } from "../errors.js";
import type { S3Location } from "./location.js";
import { formatS3Url } from "./location.js";

/** How long a request may wait, and how often it is tried. */
export interface S3Limits {
  /** To establish the connection */
  connectMs: number;
  /** Without a byte from the server, once connected (an idle deadline, so a big object still streams in) */
  idleMs: number;
  /** Tries of each request, the first included (the SDK backs off between them) */
  attempts: number;
}

export const DEFAULT_S3_LIMITS: S3Limits = { connectMs: 10_000, idleMs: 30_000, attempts: 3 };

/** Each client's limits, so that an error met anywhere can say what they were */
const clientLimits = new WeakMap<S3Client, S3Limits>();

export function limitsOf(client: S3Client): S3Limits {
  return clientLimits.get(client) ?? DEFAULT_S3_LIMITS;
}

export function createS3Client(location: S3Location, limits: S3Limits = DEFAULT_S3_LIMITS): S3Client {
  const client = new S3Client({
    requestHandler: { connectionTimeout: limits.connectMs, socketTimeout: limits.idleMs },
    maxAttempts: limits.attempts,
    // S3-compatible servers rarely care about the region; AWS itself needs the bucket's own (from the flag, AWS_REGION or the profile).
    region: location.region ?? (location.endpoint ? "us-east-1" : undefined),
    ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
    ...(location.profile ? { profile: location.profile } : {}),
    // Checksums only where S3 requires them: S3-compatible servers often implement no other.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  clientLimits.set(client, limits);
  return client;
}

/** An SDK or network error as an OpslogError that names the store and the way out. */
export function explainS3Error(err: unknown, location: S3Location, key?: string, limits: S3Limits = DEFAULT_S3_LIMITS): OpslogError {
  if (err instanceof OpslogError) return err;
  const e = err as Error & { name?: string; code?: string; Code?: unknown; $fault?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const where = `${formatS3Url(location)}${key ? ` (${key})` : ""}`;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? "";
  let advice: string;
  if (name === "CredentialsProviderError" || /credential/i.test(e.message ?? "")) advice = "No AWS credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or name a profile (--profile) from ~/.aws/credentials or ~/.aws/config.";
  else if (/region/i.test(e.message ?? "") && !location.region) advice = "No region is set. Give the bucket's region (--region, or AWS_REGION, or a profile with a region).";
  else if (name === "NoSuchBucket") advice = `The bucket "${location.bucket}" does not exist (or not at this endpoint/region).`;
  else if (name === "AccessDenied" || status === 403) advice = "Access was refused: the credentials in use need s3:ListBucket and s3:GetObject on this bucket and prefix.";
  else if (["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(e.code ?? "")) advice = `The S3 server could not be reached (${e.code})${location.endpoint ? ` at ${location.endpoint}` : ""}. Check the endpoint and your network.`;
  else if (name === "TimeoutError") advice = `The S3 server${location.endpoint ? ` at ${location.endpoint}` : ""} did not answer: no byte within ${limits.idleMs / 1000} s (or no connection within ${limits.connectMs / 1000} s), ${e.$metadata?.attempts ?? limits.attempts} attempt(s). Check that the endpoint is an S3 server and that it is up.`;
  // Only an S3 error document (its <Code> parsed) is quoted: another server's body never reaches the user, or a caller.
  else if (e.$fault && typeof e.Code === "string" && name !== "Unknown") advice = `S3 said: ${name ? `${name}: ` : ""}${e.message ?? ""}${status ? ` (HTTP ${status})` : ""}.`;
  else if (status) advice = `The server${location.endpoint ? ` at ${location.endpoint}` : ""} answered HTTP ${status} with something that is not an S3 answer (not shown). Check that the endpoint is an S3 server.`;
  else advice = `The request failed: ${name || "error"}${e.code ? ` (${e.code})` : ""}.`;
  return new OpslogError("io", `Could not read ${where}. ${advice}`, { file: key, cause: err });
}
