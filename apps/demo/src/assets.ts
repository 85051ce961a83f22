// The two assets every API serves (an image and a font), generated here, once, at startup:
// no binary files in the repository, and every byte is explained below.
import { crc32, deflateSync } from 'node:zlib';

/** The opaque colour of the test image's left half, `[r, g, b, a]`. Its right half is fully transparent. */
export const TEST_IMAGE_COLOUR = [47, 133, 90, 255] as const;

/**
 * Width and height of the test image, in pixels. Chromium lays a `shape-outside` image out at
 * its natural size (not stretched to the float), so the pages size their float to match.
 */
export const TEST_IMAGE_SIZE = 32;

/** The test font's own family name (its `name` table); pages give it any name in `@font-face`. */
export const TEST_FONT_FAMILY = 'PreflightTestFont';

/**
 * Advance width of every glyph of the test font, in em: a line of *n* characters is
 * `n × TEST_FONT_ADVANCE_EM × font-size` wide with the font, far wider than any fallback.
 */
export const TEST_FONT_ADVANCE_EM = 1.5;

/**
 * The test image: a 32 × 32 RGBA PNG, left half `TEST_IMAGE_COLOUR`, right half transparent.
 * The opaque half gives canvas and WebGL a known pixel to read; the transparent half gives
 * `shape-outside` a shape (the float's text wraps at its middle instead of its edge).
 */
export function testPng(): Buffer {
  const size = TEST_IMAGE_SIZE;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0 (None), then RGBA pixels
    for (let x = 0; x < size / 2; x++) row.set(TEST_IMAGE_COLOUR, 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, colour type 6 (RGBA), deflate, no filter set, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * The test font: a minimal TrueType font (the ten tables a TrueType font needs, which
 * Chromium's OpenType sanitizer checks) whose printable ASCII characters (U+0020–U+007E) all
 * map to one glyph, a filled box 1.5 em wide. Text in this font is unmistakable on screen and
 * by measurement.
 */
export function testFont(): Buffer {
  const unitsPerEm = 1000;
  const advance = TEST_FONT_ADVANCE_EM * unitsPerEm;
  const box = { xMin: 100, yMin: 0, xMax: advance - 100, yMax: 700 };
  const first = 0x20;
  const last = 0x7e;

  // glyf: glyph 0 (.notdef) is empty; glyph 1 is one closed contour of four on-curve points.
  const glyph = new Writer();
  glyph.i16(1).i16(box.xMin).i16(box.yMin).i16(box.xMax).i16(box.yMax);
  glyph.u16(3); // endPtsOfContours
  glyph.u16(0); // no instructions
  glyph.bytes([1, 1, 1, 1]); // flags: on curve, x and y as int16 deltas
  for (const dx of [box.xMin, 0, box.xMax - box.xMin, 0]) glyph.i16(dx);
  for (const dy of [box.yMin, box.yMax - box.yMin, 0, box.yMin - box.yMax]) glyph.i16(dy);
  glyph.align();
  const glyf = glyph.done();
  const loca = new Writer().u16(0).u16(0).u16(glyf.length / 2).done(); // short offsets (÷ 2)

  const head = new Writer()
    .u32(0x00010000).u32(0x00010000).u32(0) // version, fontRevision, checkSumAdjustment (set below)
    .u32(0x5f0f3cf5).u16(0b1011).u16(unitsPerEm) // magic, flags (baseline at 0, integer ppem, lsb at 0)
    .u32(0).u32(0).u32(0).u32(0) // created, modified
    .i16(box.xMin).i16(box.yMin).i16(box.xMax).i16(box.yMax)
    .u16(0).u16(8).i16(2).i16(0).i16(0) // macStyle, lowestRecPPEM, fontDirectionHint, short loca, glyphDataFormat
    .done();
  const hhea = new Writer()
    .u32(0x00010000).i16(800).i16(-200).i16(0) // ascender, descender, lineGap
    .u16(advance).i16(0).i16(100).i16(box.xMax) // advanceWidthMax, minLeftSideBearing, minRightSideBearing, xMaxExtent
    .i16(1).i16(0).i16(0).i16(0).i16(0).i16(0).i16(0) // caret slope and offset, reserved
    .i16(0).u16(2) // metricDataFormat, numberOfHMetrics
    .done();
  const maxp = new Writer().u32(0x00010000).u16(2).u16(4).u16(1).u16(0).u16(0).u16(2);
  for (let i = 0; i < 8; i++) maxp.u16(0); // twilight points … component depth: no hinting, no composites
  const hmtx = new Writer().u16(advance).i16(0).u16(advance).i16(box.xMin).done();

  // cmap: one format-4 subtable (Windows, Unicode BMP); U+0020–U+007E through glyphIdArray.
  const segments = 2; // [first, last] and the required final [0xFFFF, 0xFFFF]
  const subtable = new Writer()
    .u16(4).u16(16 + segments * 8 + (last - first + 1) * 2).u16(0)
    .u16(segments * 2).u16(4).u16(1).u16(0) // segCountX2, searchRange, entrySelector, rangeShift
    .u16(last).u16(0xffff).u16(0) // endCode[], reservedPad
    .u16(first).u16(0xffff) // startCode[]
    .i16(0).i16(1) // idDelta[]
    .u16(segments * 2).u16(0); // idRangeOffset[]: the first segment reads glyphIdArray
  for (let c = first; c <= last; c++) subtable.u16(1);
  const cmap = new Writer().u16(0).u16(1).u16(3).u16(1).u32(12).bytes(subtable.done()).done();

  const names: ReadonlyArray<readonly [number, string]> = [
    [1, TEST_FONT_FAMILY],
    [2, 'Regular'],
    [3, `${TEST_FONT_FAMILY} Regular`],
    [4, `${TEST_FONT_FAMILY} Regular`],
    [6, `${TEST_FONT_FAMILY}-Regular`],
  ];
  const name = new Writer().u16(0).u16(names.length).u16(6 + names.length * 12);
  const strings: Buffer[] = [];
  let offset = 0;
  for (const [id, text] of names) {
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    name.u16(3).u16(1).u16(0x409).u16(id).u16(utf16be.length).u16(offset);
    strings.push(utf16be);
    offset += utf16be.length;
  }
  name.bytes(Buffer.concat(strings));

  const os2 = new Writer()
    .u16(4).i16(advance).u16(400).u16(5).u16(0) // version, xAvgCharWidth, weight, width, fsType (installable)
    .i16(650).i16(700).i16(0).i16(140).i16(650).i16(700).i16(0).i16(480).i16(50).i16(250) // sub/superscript, strikeout
    .i16(0) // sFamilyClass
    .bytes(Buffer.alloc(10)) // panose
    .u32(1).u32(0).u32(0).u32(0) // ulUnicodeRange: Basic Latin
    .bytes(Buffer.from('PFLT', 'latin1'))
    .u16(0x40).u16(first).u16(last) // fsSelection REGULAR, first and last character
    .i16(800).i16(-200).i16(0).u16(800).u16(200) // typo ascender/descender/line gap, win ascent/descent
    .u32(1).u32(0) // code pages: Latin 1
    .i16(500).i16(700).u16(0).u16(0x20).u16(1) // xHeight, capHeight, default char, break char, max context
    .done();
  const post = new Writer().u32(0x00030000).u32(0).i16(-100).i16(50).u32(0).u32(0).u32(0).u32(0).u32(0).done();

  const font = sfnt({
    'OS/2': os2,
    cmap,
    glyf,
    head,
    hhea,
    hmtx,
    loca,
    maxp: maxp.done(),
    name: name.done(),
    post,
  });
  // head.checkSumAdjustment makes the whole font sum to 0xB1B0AFBA.
  const headOffset = font.readUInt32BE(12 + 16 * 3 + 8); // table records are sorted; head is the fourth
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headOffset + 8);
  return font;
}

/** An sfnt (TrueType) file from its tables, given in tag order. */
function sfnt(tables: Readonly<Record<string, Buffer>>): Buffer {
  const tags = Object.keys(tables);
  const count = tags.length;
  const power = 2 ** Math.floor(Math.log2(count));
  const directory = new Writer().u32(0x00010000).u16(count).u16(power * 16).u16(Math.log2(power)).u16(count * 16 - power * 16);
  const bodies: Buffer[] = [];
  let offset = 12 + count * 16;
  for (const tag of tags) {
    const data = tables[tag]!;
    directory.bytes(Buffer.from(tag, 'latin1')).u32(checksum(data)).u32(offset).u32(data.length);
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  }
  return Buffer.concat([directory.done(), ...bodies]);
}

/** The sfnt checksum: the sum of big-endian uint32s, zero-padded. */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    sum = (sum + ((data[i]! << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0))) >>> 0;
  }
  return sum;
}

/** A tiny big-endian binary writer. */
class Writer {
  readonly #parts: number[] = [];
  u16(value: number): this {
    this.#parts.push((value >>> 8) & 0xff, value & 0xff);
    return this;
  }
  i16(value: number): this {
    return this.u16(value & 0xffff);
  }
  u32(value: number): this {
    return this.u16((value >>> 16) & 0xffff).u16(value & 0xffff);
  }
  bytes(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.#parts.push(values[i]!);
    return this;
  }
  align(): this {
    while (this.#parts.length % 4 !== 0) this.#parts.push(0);
    return this;
  }
  done(): Buffer {
    return Buffer.from(this.#parts);
  }
}
