/**
 * An S3 store's locks as the doctor reports them: opslog-s3 keeps `.lock`
 * and `.compact-lock` as JSON objects under the store's prefix (created with
 * `If-None-Match: *`), naming the holder (agent, pid, hostname), when it was
 * taken and for how long (`ttlMs`); past its TTL, the next writer takes it
 * over. Read with two GETs: nothing is written, nothing listed again.
 */
import type { CheckedLock } from "../inspect/types.js";
import type { S3Objects } from "./objects.js";

const LOCK_FILES = [".lock", ".compact-lock"] as const;

interface S3LockBody {
  agent?: string;
  hostname?: string;
  pid?: number;
  timestamp?: number;
  ttlMs?: number;
}

/** The lock objects present, each with its holder and whether its TTL has run out (as opslog-s3 judges it). */
export async function readS3Locks(objects: S3Objects, now = Date.now()): Promise<CheckedLock[]> {
  const locks: CheckedLock[] = [];
  for (const file of LOCK_FILES) {
    const body = await objects.get(file).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    if (body !== null) locks.push(lockOf(file, body, now));
  }
  return locks;
}

function lockOf(file: CheckedLock["file"], body: Buffer, now: number): CheckedLock {
  let lock: S3LockBody | null = null;
  try {
    lock = JSON.parse(body.toString("utf-8")) as S3LockBody;
  } catch {
    // opslog-s3 treats a lock it cannot parse as stale, and so does the report.
  }
  const pid = typeof lock?.pid === "number" ? lock.pid : null;
  const host = typeof lock?.hostname === "string" ? lock.hostname : null;
  const valid = typeof lock?.timestamp === "number" && typeof lock.ttlMs === "number";
  const expires = valid ? lock!.timestamp! + lock!.ttlMs! : null;
  const who = lock === null ? "an unreadable lock body" : [lock.agent ?? (pid !== null ? `process ${pid}` : "an unknown holder"), host ? `on ${host}` : null].filter(Boolean).join(" ");
  return { file, state: expires !== null && now <= expires ? "held" : "stale", pid, host, expiresAt: expires === null ? null : new Date(expires).toISOString(), holder: who };
}

/** A GET of an absent key: the SDK's NoSuchKey (or a bare 404), wrapped by explainS3Error. */
function isMissing(err: unknown): boolean {
  const cause = (err as { cause?: { name?: string; $metadata?: { httpStatusCode?: number } } }).cause;
  return cause?.name === "NoSuchKey" || cause?.$metadata?.httpStatusCode === 404;
}
