/**
 * The index type's old name, kept only for build.ts while another change
 * rewrites it: everything else imports StoreIndex from store-index.ts. Delete
 * this file once build.ts does too.
 */
export type { StoreIndex as History, Lane, ParallelMode } from "./store-index.js";
