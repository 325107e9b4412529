/**
 * The "Clear index cache" call: removes every index the explorer kept in the
 * cache folder (engine index-cache*.ts), and says in a sentence what that
 * freed. The open store keeps its index in memory; the next open of each
 * store builds it again.
 */
import { clearIndexCache } from "../engine/src/inspect/index.js";
import type { IndexCacheOptions } from "../engine/src/inspect/index.js";

export async function clearIndexCacheCall(cache: IndexCacheOptions | null): Promise<{ message: string; files: number; bytes: number }> {
  if (!cache) return { message: "The index cache is off (--no-index-cache, or OPSLOG_EXPLORER_INDEX_CACHE=off): nothing to clear.", files: 0, bytes: 0 };
  const { files, bytes } = await clearIndexCache(cache);
  const size = bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} KB`;
  const message = files === 0 ? `The index cache (${cache.dir}) was already empty.` : `Cleared the index cache: ${files} stored ${files === 1 ? "index" : "indexes"}, ${size} (${cache.dir}). Each store's next open builds its index again.`;
  return { message, files, bytes };
}
