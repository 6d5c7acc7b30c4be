/**
 * OLE compound files ([MS-CFB]), the container of legacy Word, Excel and PowerPoint files: where
 * each stream's bytes are, for telling the three apart (inspect.ts) and for blanking their
 * property streams in place (strip-documents.ts). Every read is bounds-checked and every chain
 * walk is capped by the number of sectors, so hostile input cannot loop.
 */

/** The structure cannot be read as a compound file. */
export class CfbError extends Error {
  constructor() {
    super('not a readable OLE compound file');
  }
}

export const le16 = (b: Uint8Array, o: number): number => {
  if (o < 0 || o + 2 > b.length) throw new CfbError();
  return b[o]! | (b[o + 1]! << 8);
};
export const le32 = (b: Uint8Array, o: number): number => (le16(b, o) | (le16(b, o + 2) << 16)) >>> 0;

const utf16Decoder = new TextDecoder('utf-16le');

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const CFB_MAX_REGULAR_SECTOR = 0xfffffffa;
const CFB_END_OF_CHAIN = 0xfffffffe;
const CFB_FREE_SECTOR = 0xffffffff;

export interface CfbStream {
  name: string;
  /** Where the stream's bytes are in the file, in order. */
  ranges: Range[];
}

export type Range = [offset: number, length: number];

/** Reads the streams of a compound file and where the file has free (unallocated) space. */
export function readCfb(b: Uint8Array): { streams: CfbStream[]; free: Range[] } {
  if (b.length < 512 || !CFB_SIGNATURE.every((byte, i) => b[i] === byte)) throw new CfbError();
  if (le16(b, 0x1c) !== 0xfffe || le16(b, 0x20) !== 6) throw new CfbError();
  const shift = le16(b, 0x1e);
  if (shift !== 9 && shift !== 12) throw new CfbError();
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const sectorCount = Math.floor((b.length - sectorSize) / sectorSize);
  const sectorOffset = (s: number): number => {
    if (s >= sectorCount) throw new CfbError();
    return (s + 1) * sectorSize; // sector 0 starts right after the header sector
  };

  // FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = le32(b, 0x4c + i * 4);
    if (s <= CFB_MAX_REGULAR_SECTOR) fatSectors.push(s);
  }
  let difat = le32(b, 0x44);
  for (let steps = 0; difat <= CFB_MAX_REGULAR_SECTOR; steps++) {
    if (steps > sectorCount) throw new CfbError();
    const offset = sectorOffset(difat);
    for (let i = 0; i < perSector - 1; i++) {
      const s = le32(b, offset + i * 4);
      if (s <= CFB_MAX_REGULAR_SECTOR) fatSectors.push(s);
    }
    difat = le32(b, offset + sectorSize - 4);
  }
  const fat: number[] = [];
  for (const s of fatSectors) {
    const offset = sectorOffset(s);
    for (let i = 0; i < perSector; i++) fat.push(le32(b, offset + i * 4));
  }

  const chain = (start: number, table: number[]): number[] => {
    const sectors: number[] = [];
    for (let s = start; s !== CFB_END_OF_CHAIN; s = table[s]!) {
      if (s > CFB_MAX_REGULAR_SECTOR || s >= table.length || sectors.length > table.length) throw new CfbError();
      sectors.push(s);
    }
    return sectors;
  };

  const directory = chain(le32(b, 0x30), fat).map(sectorOffset);
  const entries: { name: string; type: number; start: number; size: number }[] = [];
  for (const offset of directory) {
    for (let entry = offset; entry < offset + sectorSize; entry += 128) {
      const nameBytes = Math.min(le16(b, entry + 0x40), 64); // including the UTF-16 terminator
      const name = utf16Decoder.decode(b.subarray(entry, entry + Math.max(0, nameBytes - 2)));
      const type = b[entry + 0x42]!;
      if (type === 2 && le32(b, entry + 0x7c) !== 0) throw new CfbError(); // a stream over 4 GiB
      entries.push({ name, type, start: le32(b, entry + 0x74), size: le32(b, entry + 0x78) });
    }
  }
  const root = entries[0];
  if (root?.type !== 5) throw new CfbError();

  const miniStream = root.size === 0 ? [] : chain(root.start, fat).map(sectorOffset);
  const miniFatSectors = le32(b, 0x3c) === CFB_END_OF_CHAIN ? [] : chain(le32(b, 0x3c), fat);
  const miniFat: number[] = [];
  for (const s of miniFatSectors) {
    const offset = sectorOffset(s);
    for (let i = 0; i < perSector; i++) miniFat.push(le32(b, offset + i * 4));
  }
  const miniSectorOffset = (m: number): number => {
    const container = miniStream[Math.floor((m * 64) / sectorSize)];
    if (container === undefined) throw new CfbError();
    return container + ((m * 64) % sectorSize);
  };
  const cutoff = le32(b, 0x38);

  const streams: CfbStream[] = [];
  for (const entry of entries) {
    if (entry.type !== 2) continue;
    if (entry.size === 0) {
      streams.push({ name: entry.name, ranges: [] });
      continue;
    }
    const mini = entry.size < cutoff;
    const unit = mini ? 64 : sectorSize;
    const sectors = chain(entry.start, mini ? miniFat : fat);
    if (sectors.length * unit < entry.size) throw new CfbError();
    const ranges: Range[] = [];
    let left = entry.size;
    for (const s of sectors) {
      if (left <= 0) break;
      ranges.push([mini ? miniSectorOffset(s) : sectorOffset(s), Math.min(unit, left)]);
      left -= unit;
    }
    streams.push({ name: entry.name, ranges });
  }

  // Free sectors and mini sectors can still hold what an earlier save wrote there.
  const free: Range[] = [];
  for (let s = 0; s < Math.min(fat.length, sectorCount); s++) if (fat[s] === CFB_FREE_SECTOR) free.push([sectorOffset(s), sectorSize]);
  for (let m = 0; m < Math.min(miniFat.length, (miniStream.length * sectorSize) / 64); m++) {
    if (miniFat[m] === CFB_FREE_SECTOR) free.push([miniSectorOffset(m), 64]);
  }
  return { streams, free };
}

export function readRanges(b: Uint8Array, ranges: Range[]): Uint8Array {
  return Buffer.concat(ranges.map(([offset, length]) => b.subarray(offset, offset + length)));
}

export function writeRanges(b: Uint8Array, ranges: Range[], content: Uint8Array): void {
  let at = 0;
  for (const [offset, length] of ranges) {
    b.set(content.subarray(at, at + length), offset);
    at += length;
  }
}

/** The names of the streams in a compound file, or undefined when it is not one (or too broken to read). */
export function cfbStreamNames(b: Uint8Array): Set<string> | undefined {
  try {
    return new Set(readCfb(b).streams.map((s) => s.name));
  } catch (error) {
    if (error instanceof CfbError) return undefined;
    throw error;
  }
}
