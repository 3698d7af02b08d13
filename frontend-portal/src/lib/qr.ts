// QR codes drawn as one SVG path, so no canvas, inline style or data: URL is needed under a strict CSP.
import { encode } from 'uqr';

export type QrPath = { size: number; d: string };

export function qrPath(text: string): QrPath {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (data[y][x]) d += `M${x} ${y}h1v1h-1z`;
    }
  }
  return { size, d };
}
