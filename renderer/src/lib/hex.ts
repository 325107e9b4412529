/** A hex dump as xxd prints one: each row the offset, 16 bytes in hex, and those bytes as printable ASCII ("." for the rest). */
const HEX_ROW = 16;

export function hexDump(bytes: Uint8Array, start: number): string {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += HEX_ROW) {
    const row = bytes.subarray(i, i + HEX_ROW);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    rows.push(`${(start + i).toString(16).padStart(8, "0")}  ${hex.padEnd(HEX_ROW * 3 - 1)}  ${ascii}`);
  }
  return rows.join("\n");
}
