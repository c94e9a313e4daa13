import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr.set([8, 0, 0, 0, 0], 8);
  const chunk = (type: string, body: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(body.length); const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]); const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(tb) >>> 0); return Buffer.concat([len, tb, crc]); };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}
try { console.log(await sharp(pngHeader(30000,30000), { limitInputPixels: false }).metadata()); } catch (e) { console.log('ERR', (e as Error).message); }
try { console.log(await sharp(pngHeader(300,300), { limitInputPixels: false }).metadata()); } catch (e) { console.log('ERR', (e as Error).message); }
