/**
 * A map tile server on 127.0.0.1 for the map's browser tests and screenshots: one generated PNG
 * (256 × 256, light grey with a darker edge, so the tile grid shows) answers every tile URL, and
 * every path asked for is recorded. Nothing is fetched from the internet.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { MapConfig } from '../../src/config.ts';

/** One greyscale tile: a light square with a one-pixel darker edge. */
function tilePng(size = 256): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((size + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < size; x++) rows[row + 1 + x] = x === 0 || y === 0 ? 190 : 236;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface TileServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The map configuration that points at this server. */
  map: MapConfig;
  /** Every path asked for, in order. */
  served: string[];
  close(): Promise<void>;
}

export async function startTileServer(): Promise<TileServer> {
  const png = tilePng();
  const served: string[] = [];
  const server = http.createServer((req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'no-store' }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    map: {
      tileUrl: `${origin}/tiles/{z}/{x}/{y}.png`,
      tileOrigin: origin,
      attribution: 'Peta uji © kontributor',
      attributionUrl: `${origin}/hak-cipta`,
    },
    served,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
