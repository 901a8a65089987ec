// Draws Tend's icons (a sprouting leaf in a circle) and renders the PNGs with headless Chromium.
// Run after changing the drawing: `node web/scripts/make-icons.js` (the PNGs are committed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const STATIC = join(import.meta.dirname, '..', 'static');
const ICONS = join(STATIC, 'icons');

const GREEN = '#2f6b4f';
const CREAM = '#f6f4ee';

/** The sprout, drawn for a 512×512 box centred on (256, 256). */
const SPROUT = `
  <path d="M256 408 C256 352 256 310 258 268" fill="none" stroke="${CREAM}" stroke-width="26"/>
  <circle cx="256" cy="408" r="13" fill="${CREAM}"/>
  <path d="M254 320 C204 320 158 286 144 216 C214 208 252 252 254 320 Z" fill="${CREAM}"/>
  <path d="M245 274 C248 188 312 128 394 120 C398 200 342 262 271 272 Z" fill="${CREAM}"/>`;

/** @param {{ fullBleed: boolean, scale: number }} o */
function svg({ fullBleed, scale }) {
  const background = fullBleed
    ? `<rect width="512" height="512" fill="${GREEN}"/>`
    : `<circle cx="256" cy="256" r="256" fill="${GREEN}"/>`;
  const offset = 256 * (1 - scale);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  ${background}
  <g transform="translate(${offset} ${offset}) scale(${scale})">${SPROUT}
  </g>
</svg>
`;
}

const round = svg({ fullBleed: false, scale: 1 });
// Maskable and Apple icons: full bleed, sprout inside the central 80 % safe zone.
const square = svg({ fullBleed: true, scale: 0.72 });

writeFileSync(join(ICONS, 'icon.svg'), round);
writeFileSync(join(ICONS, 'maskable.svg'), square);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

/** @param {string} source @param {number} size @returns {Promise<Buffer>} */
async function render(source, size) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const dataUrl = `data:image/svg+xml;base64,${Buffer.from(source).toString('base64')}`;
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><img src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
  );
  await page.locator('img').evaluate((img) => /** @type {HTMLImageElement} */ (img).decode());
  const png = await page.screenshot({ omitBackground: true, type: 'png' });
  await page.close();
  return png;
}

/** A .ico file holding one PNG image. @param {Buffer} png @param {number} size */
function ico(png, size) {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image
  return Buffer.concat([header, png]);
}

try {
  writeFileSync(join(ICONS, 'icon-192.png'), await render(round, 192));
  writeFileSync(join(ICONS, 'icon-512.png'), await render(round, 512));
  writeFileSync(join(ICONS, 'maskable-512.png'), await render(square, 512));
  writeFileSync(join(ICONS, 'apple-touch-icon.png'), await render(square, 180));
  writeFileSync(join(STATIC, 'favicon.ico'), ico(await render(round, 32), 32));
  process.stdout.write(`icons written to ${ICONS}\n`);
} finally {
  await browser.close();
}
