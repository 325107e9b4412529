/**
 * Opening a store on S3: the address built from the form's fields, and the
 * load's progress (objects and bytes fetched), polled from the main process
 * while the open is in flight, so a big store shows how far it has come.
 */
import { create } from "zustand";
import type { LoadProgress } from "../../../electron/contract";
import { api } from "../api/client";
import { useSession } from "./session";

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

const POLL_MS = 200;

interface S3LoadState {
  opening: boolean;
  progress: LoadProgress | null;
  open(fields: S3Fields): Promise<void>;
}

export const useS3Load = create<S3LoadState>((set) => ({
  opening: false,
  progress: null,
  async open(fields) {
    set({ opening: true, progress: null });
    const timer = setInterval(() => void api.call("store.loading", {}).then((progress) => set({ progress }), () => undefined), POLL_MS);
    try {
      await useSession.getState().openStore(s3Address(fields));
    } finally {
      clearInterval(timer);
      set({ opening: false, progress: null });
    }
  },
}));
