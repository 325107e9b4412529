/**
 * The command line's S3 flags (--region, --endpoint, --profile) folded into
 * the store's address, so that one string names an S3 store everywhere a
 * folder path goes (the open call, the recent list).
 */
import { formatS3Url, parseS3Url } from "../engine/src/s3/location.js";
import { storeSource } from "./store-source.js";

export function withS3Settings(dir: string | null, settings: { region?: string; endpoint?: string; profile?: string }): string {
  const flags = Object.entries(settings).filter(([, v]) => v !== undefined).map(([k]) => `--${k}`);
  if (!dir || storeSource(dir).kind !== "s3") throw new Error(`${flags.join(", ")} ${flags.length > 1 ? "go" : "goes"} with an S3 store (s3://bucket/prefix), not ${dir ? `a folder ("${dir}")` : "the demo store"}.`);
  const location = parseS3Url(dir);
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) Object.assign(location, { [name]: value });
  return formatS3Url(parseS3Url(formatS3Url(location))); // parsed again: a bad endpoint is refused here, on the command line
}
