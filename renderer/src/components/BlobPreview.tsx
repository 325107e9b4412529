/** One range of a blob, shown as what it is: an image, JSON, text, or a hex dump; with the range and steps to the next and previous. */
import { useState } from "react";
import type { BlobChunk } from "../../../electron/contract";
import { JsonView } from "./JsonView";
import { formatBytes } from "../lib/format";
import { hexDump } from "../lib/hex";

function bytesOf(chunk: BlobChunk): Uint8Array {
  return Uint8Array.from(atob(chunk.base64), (c) => c.charCodeAt(0));
}

function parsedJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function Body({ chunk }: { chunk: BlobChunk }) {
  const bytes = bytesOf(chunk);
  const whole = chunk.offset === 0 && bytes.length === chunk.bytes;
  if (chunk.kind === "image" && whole) return <BlobImage chunk={chunk} />;
  if (chunk.kind === "json" || chunk.kind === "text") {
    const text = new TextDecoder().decode(bytes);
    const json = chunk.kind === "json" && whole ? parsedJson(text) : null;
    if (json?.ok) return <div data-testid="blob-json"><JsonView value={json.value} /></div>;
    return <pre className="blob-text mono" data-testid="blob-text">{text}</pre>;
  }
  return <pre className="blob-hex mono" data-testid="blob-hex">{hexDump(bytes, chunk.offset)}</pre>;
}

/** Under this many px on its longer side, an image is drawn bigger, by a whole factor, its pixels kept square and sharp. */
const SMALL_IMAGE_PX = 128;
const SMALL_IMAGE_TARGET_PX = 256;

/** An image; a small one (an 8×8 icon) scaled up by a whole factor, pixelated, and the factor said beside it. */
function BlobImage({ chunk }: { chunk: BlobChunk }) {
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const longer = natural ? Math.max(natural.w, natural.h) : 0;
  const scale = natural && longer > 0 && longer < SMALL_IMAGE_PX ? Math.floor(SMALL_IMAGE_TARGET_PX / longer) : 1;
  const style = natural && scale > 1 ? { width: natural.w * scale, height: natural.h * scale, imageRendering: "pixelated" as const } : undefined;
  return (
    <div>
      <img className="blob-image" data-testid="blob-image" data-scale={scale} style={style} src={`data:${chunk.mime};base64,${chunk.base64}`} alt={chunk.path} onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })} />
      {natural ? <div className="muted small" data-testid="blob-image-size">{natural.w} × {natural.h} px{scale > 1 ? `, drawn ${scale}× (pixelated)` : ""}</div> : null}
    </div>
  );
}

export function BlobPreview({ chunk, onRead }: { chunk: BlobChunk; onRead: (offset: number) => void }) {
  const shown = bytesOf(chunk).length;
  const end = chunk.offset + shown;
  const step = Math.max(shown, 1);
  return (
    <div className="blob-preview">
      <div className="toolbar small">
        <span data-testid="blob-range">bytes {chunk.offset.toLocaleString()}–{end.toLocaleString()} of {chunk.bytes.toLocaleString()} ({formatBytes(chunk.bytes)}) · {chunk.kind}{chunk.mime ? ` ${chunk.mime}` : ""}</span>
        <span className="spacer" />
        <button disabled={chunk.offset === 0} onClick={() => onRead(Math.max(0, chunk.offset - step))} data-testid="blob-prev">◀ previous</button>
        <button disabled={end >= chunk.bytes} onClick={() => onRead(end)} data-testid="blob-next">next ▶</button>
      </div>
      {chunk.kind === "image" && !(chunk.offset === 0 && shown === chunk.bytes) ? <div className="muted small">An image larger than one read ({formatBytes(shown)}) is shown as bytes.</div> : null}
      <Body chunk={chunk} />
    </div>
  );
}
