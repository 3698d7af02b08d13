// QR codes drawn as one SVG path, so no canvas, inline style or data: URL is needed under a strict CSP.
// The code keeps the quiet zone the QR standard asks for: four light modules on every side.
import { encode } from 'uqr';

export const quietZone = 4;

export type QrPath = { size: number; d: string; modules: boolean[][] };

export function qrPath(text: string): QrPath {
  const { data, size } = encode(text, { ecc: 'M', border: quietZone });
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (data[y][x]) d += `M${x} ${y}h1v1h-1z`;
    }
  }
  return { size, d, modules: data };
}

/** A stand-alone SVG file of the code, scale pixels per module. */
export function qrSvg(qr: QrPath, scale = 8): string {
  const px = qr.size * scale;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges">` +
    `<rect width="${qr.size}" height="${qr.size}" fill="#fff"/><path d="${qr.d}" fill="#000"/></svg>\n`
  );
}

/** A PNG of the code, drawn module by module on a canvas (scale pixels per module). */
export function qrPng(qr: QrPath, scale = 10): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = qr.size * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2d canvas'));
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  qr.modules.forEach((row, y) => row.forEach((dark, x) => dark && ctx.fillRect(x * scale, y * scale, scale, scale)));
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
