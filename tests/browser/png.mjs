// A minimal PNG encoder (8-bit RGBA, no filtering), so the browser test can
// share an image it made itself, with known dimensions.
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of `width` × `height` whose pixel (x, y) is `pixel(x, y)` → [r, g, b, a]. */
export function encodePng(width, height, pixel) {
  const raw = Buffer.alloc(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 4 * width); // filter byte 0: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + 4 * x);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A 160 × 120 picture: a violet-to-cyan gradient with a white disc. */
export function samplePng() {
  const w = 160;
  const h = 120;
  return {
    width: w,
    height: h,
    bytes: encodePng(w, h, (x, y) => {
      const t = (x + y) / (w + h);
      const inDisc = (x - 80) ** 2 + (y - 60) ** 2 < 32 ** 2;
      if (inDisc) return [255, 255, 255, 255];
      return [Math.round(124 + (34 - 124) * t), Math.round(92 + (184 - 92) * t), Math.round(255 + (207 - 255) * t), 255];
    }),
  };
}
