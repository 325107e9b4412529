/**
 * The S3 connection of an S3 store: an S3Client built from its location, with
 * credentials from the AWS SDK's default chain only (environment, shared
 * config and credentials files, the named profile, SSO, instance roles):
 * the explorer never reads, stores or forwards a secret itself. And the
 * SDK's errors turned into messages that say what to do.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { OpslogError } from "../errors.js";
import type { S3Location } from "./location.js";
import { formatS3Url } from "./location.js";

export function createS3Client(location: S3Location): S3Client {
  return new S3Client({
    // S3-compatible servers rarely care about the region; AWS itself needs the bucket's own (from the flag, AWS_REGION or the profile).
    region: location.region ?? (location.endpoint ? "us-east-1" : undefined),
    ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
    ...(location.profile ? { profile: location.profile } : {}),
    // Checksums only where S3 requires them: S3-compatible servers often implement no other.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** An SDK or network error as an OpslogError that names the store and the way out. */
export function explainS3Error(err: unknown, location: S3Location, key?: string): OpslogError {
  if (err instanceof OpslogError) return err;
  const e = err as Error & { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const where = `${formatS3Url(location)}${key ? ` (${key})` : ""}`;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? "";
  let advice: string;
  if (name === "CredentialsProviderError" || /credential/i.test(e.message ?? "")) advice = "No AWS credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or name a profile (--profile) from ~/.aws/credentials or ~/.aws/config.";
  else if (/region/i.test(e.message ?? "") && !location.region) advice = "No region is set. Give the bucket's region (--region, or AWS_REGION, or a profile with a region).";
  else if (name === "NoSuchBucket") advice = `The bucket "${location.bucket}" does not exist (or not at this endpoint/region).`;
  else if (name === "AccessDenied" || status === 403) advice = "Access was refused: the credentials in use need s3:ListBucket and s3:GetObject on this bucket and prefix.";
  else if (["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(e.code ?? "")) advice = `The S3 server could not be reached (${e.code})${location.endpoint ? ` at ${location.endpoint}` : ""}. Check the endpoint and your network.`;
  else advice = `S3 said: ${name ? `${name}: ` : ""}${e.message ?? String(err)}${status ? ` (HTTP ${status})` : ""}.`;
  return new OpslogError("io", `Could not read ${where}. ${advice}`, { file: key, cause: err });
}
