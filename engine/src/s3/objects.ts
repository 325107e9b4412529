/**
 * The three S3 reads the explorer makes, and no other request: list a
 * prefix or a part of it (every page of ListObjectsV2), get an object, get a byte range of
 * one. Gets run in parallel with a bound, so a store of thousands of batch
 * objects loads in a few round trips without opening thousands of sockets.
 * Read-only by construction: this file sends no PUT, POST or DELETE.
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import type { S3Location } from "./location.js";
import { explainS3Error, limitsOf } from "./client.js";

/** One listed object, its key relative to the store's prefix. */
export interface ListedObject {
  key: string;
  etag: string;
  size: number;
}

/** What a load has fetched so far, for a progress bar. */
export interface FetchProgress {
  objects: number;
  totalObjects: number;
  bytes: number;
  totalBytes: number;
}

// Below the SDK's 50 sockets, so the listing of a live poll never queues behind a load.
export const DEFAULT_CONCURRENCY = 32;

/** A get that failed because the object is not there (S3's NoSuchKey, HTTP 404), whatever explained it since. */
export function isNotFound(err: unknown): boolean {
  const cause = (err instanceof Error && err.cause ? err.cause : err) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return cause?.name === "NoSuchKey" || cause?.$metadata?.httpStatusCode === 404;
}

export class S3Objects {
  constructor(
    readonly client: S3Client,
    readonly location: S3Location,
  ) {}

  private fullKey(key: string): string {
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  /** Every object under the store's prefix, all pages; with `under`, only those whose key (relative to the store) begins with it. */
  async list(under = ""): Promise<ListedObject[]> {
    const base = this.location.prefix ? `${this.location.prefix}/` : "";
    const out: ListedObject[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: base + under, ContinuationToken: token }));
      } catch (err) {
        throw explainS3Error(err, this.location, undefined, limitsOf(this.client));
      }
      for (const o of page.Contents ?? []) {
        if (o.Key?.startsWith(base)) out.push({ key: o.Key.slice(base.length), etag: o.ETag ?? "", size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** One object's bytes; with `from`, only the bytes from that offset on (an HTTP Range request). */
  async get(key: string, from?: number): Promise<Buffer> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.fullKey(key), ...(from ? { Range: `bytes=${from}-` } : {}) }));
      return Buffer.from((await result.Body?.transformToByteArray()) ?? new Uint8Array());
    } catch (err) {
      throw explainS3Error(err, this.location, key, limitsOf(this.client));
    }
  }

  /**
   * Get many objects, at most `concurrency` at a time; results in the order
   * asked. `onFetched` is told of each object as it arrives.
   */
  async getAll(requests: { key: string; from?: number; size: number }[], onFetched: (bytes: number) => void, concurrency = DEFAULT_CONCURRENCY): Promise<Buffer[]> {
    const results: Buffer[] = new Array<Buffer>(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        results[i] = await this.get(requests[i].key, requests[i].from);
        onFetched(results[i].length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    return results;
  }
}
