/**
 * Where an S3 store lives: `s3://bucket/prefix`, with the connection settings
 * (region, endpoint for S3-compatible servers, profile) carried as query
 * parameters (`s3://bucket/prefix?endpoint=http://127.0.0.1:4568&region=us-east-1`),
 * so that one string names the store everywhere a folder path goes: the
 * command line, the open call, the recent list. Credentials never go in it:
 * they come from the AWS SDK's default chain.
 */
import { OpslogError } from "../errors.js";

export interface S3Location {
  bucket: string;
  /** Key prefix of the store, without a trailing slash ("" = the bucket's root) */
  prefix: string;
  region?: string;
  endpoint?: string;
  profile?: string;
}

const SETTINGS = ["region", "endpoint", "profile"] as const;
// S3's own bucket naming rules (lower case, digits, dots, hyphens; 3 to 63 long).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Url(text: string): boolean {
  return /^s3:\/\//i.test(text);
}

/** Parse `s3://bucket/prefix[?region=..&endpoint=..&profile=..]`, explaining what is wrong. */
export function parseS3Url(text: string): S3Location {
  const bad = (why: string) => new OpslogError("bad-argument", `${text} is not an S3 store address: ${why}. Write s3://bucket/prefix (e.g. s3://my-bucket/opslog/my-store).`);
  if (!isS3Url(text)) throw bad("it does not start with s3://");
  const rest = text.slice("s3://".length);
  const query = rest.indexOf("?");
  const path = query === -1 ? rest : rest.slice(0, query);
  const slash = path.indexOf("/");
  const bucket = slash === -1 ? path : path.slice(0, slash);
  const prefix = slash === -1 ? "" : path.slice(slash + 1).replace(/\/+$/, "");
  if (!BUCKET.test(bucket)) throw bad(`"${bucket}" is not a bucket name (3 to 63 lower-case letters, digits, '.' or '-')`);
  const location: S3Location = { bucket, prefix };
  const params = new URLSearchParams(query === -1 ? "" : rest.slice(query + 1));
  for (const [name, value] of params) {
    if (!(SETTINGS as readonly string[]).includes(name)) throw bad(`unknown setting "${name}" (only ${SETTINGS.join(", ")})`);
    if (value) location[name as (typeof SETTINGS)[number]] = value;
  }
  if (location.endpoint && !/^https?:\/\/[^/]+/.test(location.endpoint)) throw bad(`the endpoint "${location.endpoint}" is not an http(s) URL`);
  return location;
}

/** The address back as text, settings in a fixed order (the same store always reads the same). */
export function formatS3Url(location: S3Location): string {
  const params = new URLSearchParams();
  for (const name of SETTINGS) if (location[name]) params.set(name, location[name]!);
  const query = params.toString();
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ""}${query ? `?${query}` : ""}`;
}
