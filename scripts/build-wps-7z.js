/**
 * A minimal .7z writer for the offline WPS 加载项 package (scripts/build-wps.js).
 *
 * WPS installs an offline add-in from the .7z archive that jsplugins.xml names (Kingsoft's wpsjs tool builds
 * one with 7-Zip). No 7-Zip binary is needed here: the archive stores the files uncompressed, in one solid
 * folder with the "Copy" coder (method id 00), which every 7z reader supports (7-Zip, p7zip, the LZMA SDK's
 * 7zDec that embedded readers use). The add-in's files are small (a few MB of minified JavaScript), so leaving
 * them uncompressed costs little.
 *
 * Layout (7zFormat.txt of the LZMA SDK): the 32-byte signature header, the packed stream (the files' bytes one
 * after another), then the header: MainStreamsInfo (one pack stream, one Copy folder, one substream per non-empty
 * file with its size and CRC32) and FilesInfo (EmptyStream / EmptyFile bit fields for directories and empty
 * files, UTF-16LE names with '/' separators, Windows attributes). Directories are listed before their files.
 *
 * Plain CommonJS so the build script can require it without a TypeScript loader.
 */
const zlib = require('zlib');

const SIGNATURE = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
const NID = {
  kEnd: 0x00,
  kHeader: 0x01,
  kMainStreamsInfo: 0x04,
  kFilesInfo: 0x05,
  kPackInfo: 0x06,
  kUnPackInfo: 0x07,
  kSubStreamsInfo: 0x08,
  kSize: 0x09,
  kCRC: 0x0a,
  kFolder: 0x0b,
  kCodersUnPackSize: 0x0c,
  kNumUnPackStream: 0x0d,
  kEmptyStream: 0x0e,
  kEmptyFile: 0x0f,
  kName: 0x11,
  kWinAttributes: 0x15,
};
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_ARCHIVE = 0x20;

/** CRC-32 (IEEE), as 7z uses. zlib.crc32 exists from Node 22; a table otherwise. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** 7z's variable-length NUMBER: the first byte's leading 1 bits count the little-endian bytes that follow. */
function number(value) {
  let v = BigInt(value);
  if (v < 0n) throw new Error('7z: negative number');
  for (let extra = 0; extra <= 8; extra++) {
    const bitsInFirst = extra === 8 ? 0 : 7 - extra;
    if (extra === 8 || v < 1n << BigInt(8 * extra + bitsInFirst)) {
      const out = Buffer.alloc(1 + extra);
      for (let i = 0; i < extra; i++) out[1 + i] = Number((v >> BigInt(8 * i)) & 0xffn);
      const high = extra === 8 ? 0 : Number(v >> BigInt(8 * extra));
      out[0] = ((0xff00 >> extra) & 0xff) | high;
      return out;
    }
  }
  /* istanbul ignore next */
  throw new Error('7z: number too large');
}

/** A bit field, most significant bit first. */
function bits(flags) {
  const out = Buffer.alloc(Math.ceil(flags.length / 8));
  flags.forEach((f, i) => {
    if (f) out[i >> 3] |= 0x80 >> (i & 7);
  });
  return out;
}

function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

function u64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** A property of FilesInfo: id, size, data. */
function property(id, data) {
  return Buffer.concat([Buffer.from([id]), number(data.length), data]);
}

/**
 * The entries of an archive: every directory implied by the files' paths (listed first, parents before
 * children), then the files in the given order. Paths use '/' and must be relative and clean.
 */
function entriesOf(files) {
  const dirs = new Set();
  for (const f of files) {
    if (!f.path || f.path.startsWith('/') || f.path.split('/').some((p) => p === '' || p === '.' || p === '..')) {
      throw new Error(`7z: not a clean relative path: "${f.path}"`);
    }
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const dirEntries = [...dirs].sort().map((p) => ({ path: p, dir: true, data: Buffer.alloc(0) }));
  return [...dirEntries, ...files.map((f) => ({ path: f.path, dir: false, data: Buffer.from(f.data) }))];
}

/**
 * The bytes of a .7z archive holding `files` ({ path: 'folder/name.ext', data: Buffer }), stored uncompressed.
 */
function create7z(files) {
  const entries = entriesOf(files);
  const streams = entries.filter((e) => !e.dir && e.data.length > 0);
  const packed = Buffer.concat(streams.map((e) => e.data));

  const parts = [Buffer.from([NID.kHeader])];
  if (streams.length > 0) {
    parts.push(
      Buffer.from([NID.kMainStreamsInfo]),
      // PackInfo: one pack stream at offset 0 after the signature header.
      Buffer.from([NID.kPackInfo]),
      number(0),
      number(1),
      Buffer.from([NID.kSize]),
      number(packed.length),
      Buffer.from([NID.kEnd]),
      // UnPackInfo: one folder with one simple coder, Copy (id 00).
      Buffer.from([NID.kUnPackInfo, NID.kFolder]),
      number(1),
      Buffer.from([0x00]), // not external
      number(1), // one coder
      Buffer.from([0x01, 0x00]), // id size 1, simple coder, no attributes; id 00 = Copy
      Buffer.from([NID.kCodersUnPackSize]),
      number(packed.length),
      Buffer.from([NID.kEnd]),
      // SubStreamsInfo: one substream per file, the last size implied, every CRC given.
      Buffer.from([NID.kSubStreamsInfo, NID.kNumUnPackStream]),
      number(streams.length),
    );
    if (streams.length > 1) {
      parts.push(Buffer.from([NID.kSize]), ...streams.slice(0, -1).map((e) => number(e.data.length)));
    }
    parts.push(
      Buffer.from([NID.kCRC, 0x01]), // all defined
      ...streams.map((e) => u32(crc32(e.data))),
      Buffer.from([NID.kEnd]), // end of SubStreamsInfo
      Buffer.from([NID.kEnd]), // end of StreamsInfo
    );
  }

  const props = [];
  const emptyStream = entries.map((e) => e.dir || e.data.length === 0);
  if (emptyStream.some(Boolean)) {
    props.push(property(NID.kEmptyStream, bits(emptyStream)));
    const empties = entries.filter((_, i) => emptyStream[i]);
    const emptyFile = empties.map((e) => !e.dir);
    if (emptyFile.some(Boolean)) props.push(property(NID.kEmptyFile, bits(emptyFile)));
  }
  const names = Buffer.concat(entries.map((e) => Buffer.from(`${e.path}\0`, 'utf16le')));
  props.push(property(NID.kName, Buffer.concat([Buffer.from([0x00]), names])));
  const attributes = Buffer.concat(entries.map((e) => u32(e.dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE)));
  props.push(property(NID.kWinAttributes, Buffer.concat([Buffer.from([0x01, 0x00]), attributes])));
  parts.push(Buffer.from([NID.kFilesInfo]), number(entries.length), ...props, Buffer.from([NID.kEnd]));
  parts.push(Buffer.from([NID.kEnd])); // end of Header
  const header = Buffer.concat(parts);

  const startHeader = Buffer.concat([u64(packed.length), u64(header.length), u32(crc32(header))]);
  const signatureHeader = Buffer.concat([SIGNATURE, Buffer.from([0x00, 0x04]), u32(crc32(startHeader)), startHeader]);
  return Buffer.concat([signatureHeader, packed, header]);
}

module.exports = { create7z, crc32, number };
