/**
 * An S3 server for tests, benchmarks and e2e: s3rver (an S3 HTTP API on
 * node, objects in a temp folder), started as a child process on a free port
 * (see s3server-child.mjs for why a child), with every request it receives
 * recorded (method and URL), so a test can assert that a read-only session
 * sent no PUT, POST or DELETE. s3rver checks signatures with its fixed key
 * pair, set here in the environment, where the AWS SDK's default credential
 * chain finds it, as it would find a user's.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { S3Client } from "@aws-sdk/client-s3";

export interface RecordedRequest {
  method: string;
  url: string;
  /** The Range header of a ranged GET ("bytes=N-") */
  range?: string;
  /** The If-None-Match header of a conditional write ("*": create only if absent) */
  ifNoneMatch?: string;
}

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** Every request the server has received, in order (call flush() first to be sure the latest are in) */
  requests: RecordedRequest[];
  /** Wait until every request sent so far is in `requests` */
  flush(): Promise<void>;
  /** A client for test writers (the published opslog-s3), checksums only where required (s3rver decodes no aws-chunked bodies) */
  client(): S3Client;
  /** `s3://bucket/prefix?endpoint=…&region=us-east-1` */
  url(prefix: string): string;
  close(): Promise<void>;
}

export function useS3Credentials(): void {
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
}

const CHILD = fileURLToPath(new URL("./s3server-child.mjs", import.meta.url));

/** Start s3rver; with `keepDirectory`, its objects live there and outlast the server (a benchmark's cached store). */
export async function startS3Server(bucket = "opslog-test", keepDirectory?: string): Promise<S3TestServer> {
  useS3Credentials();
  if (keepDirectory) await mkdir(keepDirectory, { recursive: true });
  const directory = keepDirectory ?? (await mkdtemp(join(tmpdir(), "opslog-s3rver-")));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", CHILD, directory, bucket], { stdio: ["pipe", "pipe", "inherit"] });
  const requests: RecordedRequest[] = [];
  const waiters = new Map<string, () => void>();
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const [kind, a, b, range, ifNoneMatch] = line.split(" ");
      if (kind === "ready") resolve(Number(a));
      else if (kind === "req") {
        requests.push({ method: a, url: b, ...(range && range !== "-" ? { range } : {}), ...(ifNoneMatch && ifNoneMatch !== "-" ? { ifNoneMatch } : {}) });
        waiters.get(b)?.();
      }
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  let flushes = 0;
  return {
    endpoint,
    bucket,
    requests,
    async flush() {
      const path = `/__flush-${++flushes}`;
      const seen = new Promise<void>((resolve) => waiters.set(path, resolve));
      await fetch(`${endpoint}${path}`).then((r) => r.arrayBuffer()).catch(() => undefined);
      await seen;
      waiters.delete(path);
    },
    client() {
      const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
      clients.push(client);
      return client;
    },
    url: (prefix) => `s3://${bucket}/${prefix}?region=us-east-1&endpoint=${encodeURIComponent(endpoint)}`, // the order the explorer writes it back
    async close() {
      for (const c of clients) c.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
      if (!keepDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}
