/**
 * Opening a store on S3: the address built from the form's fields, and
 * whether the form's open is in flight (its progress is state/storeLoad.ts's,
 * as for any open).
 */
import { create } from "zustand";
import type { SessionMode } from "../../../electron/contract";
import { openNow } from "./openFlow";

export interface S3Fields {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string;
  profile: string;
}

/** `s3://bucket/prefix?region=…&endpoint=…&profile=…`, empty settings left out (the main process checks it). */
export function s3Address(f: S3Fields): string {
  const params = new URLSearchParams();
  for (const name of ["region", "endpoint", "profile"] as const) if (f[name].trim()) params.set(name, f[name].trim());
  const prefix = f.prefix.trim().replace(/^\/+|\/+$/g, "");
  const query = params.toString();
  return `s3://${f.bucket.trim()}${prefix ? `/${prefix}` : ""}${query ? `?${query}` : ""}`;
}

interface S3LoadState {
  opening: boolean;
  open(fields: S3Fields, mode?: SessionMode, agentId?: string): Promise<void>;
}

export const useS3Load = create<S3LoadState>((set) => ({
  opening: false,
  async open(fields, mode = "read-only", agentId) {
    set({ opening: true });
    try {
      await openNow(s3Address(fields), mode, agentId);
    } finally {
      set({ opening: false });
    }
  },
}));
