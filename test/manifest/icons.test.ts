import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const ASSETS = path.resolve(__dirname, '..', '..', 'assets');

interface Rgba {
  width: number;
  height: number;
  px: (x: number, y: number) => [number, number, number, number];
}

/** Minimal decoder for the 8-bit RGBA, non-interlaced PNGs that scripts/make-icons.ts writes. */
function decodePng(bytes: Buffer): Rgba {
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (off < bytes.length) {
    const len = bytes.readUInt32BE(off);
    const type = bytes.toString('latin1', off + 4, off + 8);
    const data = bytes.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect({ bitDepth: data[8], colorType: data[9], interlace: data[12] }).toEqual({ bitDepth: 8, colorType: 6, interlace: 0 });
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? out[y * stride + i - 4] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? out[(y - 1) * stride + i - 4] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + i] = v & 0xff;
    }
  }
  return { width, height, px: (x, y) => [out[y * stride + x * 4], out[y * stride + x * 4 + 1], out[y * stride + x * 4 + 2], out[y * stride + x * 4 + 3]] };
}

const near = (p: [number, number, number, number], hex: string, tol = 40): boolean => {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return p[3] > 200 && Math.abs(p[0] - r) + Math.abs(p[1] - g) + Math.abs(p[2] - b) <= tol;
};

describe.each([16, 32, 64, 80])('assets/icon-%i.png', (size) => {
  const img = decodePng(fs.readFileSync(path.join(ASSETS, `icon-${size}.png`)));

  test('has the declared size and a transparent background corner', () => {
    expect([img.width, img.height]).toEqual([size, size]);
    expect(img.px(0, 0)[3]).toBe(0);
  });

  test('is drawn in the product palette: green sheet, navy check badge, white cells', () => {
    let green = 0;
    let navy = 0;
    let white = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const p = img.px(x, y);
        if (near(p, '#1E6E42')) green++;
        if (near(p, '#1F4E79')) navy++;
        if (near(p, '#FFFFFF', 12)) white++;
      }
    }
    const area = size * size;
    expect(green / area).toBeGreaterThan(0.05);
    expect(navy / area).toBeGreaterThan(0.05);
    expect(white / area).toBeGreaterThan(0.05);
    // The badge sits bottom-right; its centre is navy or the white check mark, never transparent.
    const c = img.px(Math.round(size * 0.72), Math.round(size * 0.72));
    expect(c[3]).toBeGreaterThan(200);
  });
});
