import sharp from 'sharp';
const w=1728,h=2385; const d=Buffer.alloc(w*h,255);
const r = await sharp(d,{raw:{width:w,height:h,channels:1}}).resize(w,1146,{fit:'fill',kernel:'linear'}).raw().toBuffer({resolveWithObject:true});
console.log(r.info);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100%" height="100%" fill="white"/></svg>`;
const a = await sharp(Buffer.from(svg)).flatten({background:'#fff'}).greyscale().raw().toBuffer({resolveWithObject:true}); console.log(a.info);
const png = await sharp(Buffer.from(svg)).flatten({background:'#fff'}).greyscale().png().toBuffer();
const b = await sharp(png).rotate(1,{background:'#fff'}).greyscale().raw().toBuffer({resolveWithObject:true}); console.log(b.info);
