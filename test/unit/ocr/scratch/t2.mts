import sharp from 'sharp';
import { orderPageSvg, DUPONT } from '../../../../fixtures/docgen/fax.ts';
const svg = orderPageSvg(DUPONT);
const img = sharp(Buffer.from(svg), { density: 204 }).flatten({ background: '#ffffff' }).greyscale();
const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
console.log(info, data.length);
await sharp(Buffer.from(svg), { density: 204 }).png().toFile('/tmp/faxgen/svg.png');
