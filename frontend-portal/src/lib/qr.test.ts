import { describe, expect, it } from 'vitest';
import { qrPath, qrSvg, quietZone } from './qr';

describe('qrPath', () => {
  const qr = qrPath('http://localhost:8080/pay/tok_abcdefghijklmnop');
  it('keeps a quiet zone of four light modules on every side', () => {
    expect(quietZone).toBe(4);
    for (let i = 0; i < quietZone; i++) {
      for (let j = 0; j < qr.size; j++) {
        for (const [x, y] of [[i, j], [j, i], [qr.size - 1 - i, j], [j, qr.size - 1 - i]]) expect(qr.modules[y][x]).toBe(false);
      }
    }
    // The finder pattern starts right after the quiet zone.
    expect(qr.modules[quietZone][quietZone]).toBe(true);
  });
  it('writes a stand-alone SVG of the same modules', () => {
    const svg = qrSvg(qr, 8);
    expect(svg).toContain(`viewBox="0 0 ${qr.size} ${qr.size}"`);
    expect(svg).toContain(`width="${qr.size * 8}"`);
    expect(svg).toContain(qr.d);
  });
});
