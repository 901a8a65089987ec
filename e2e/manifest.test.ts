import { describe, expect, it } from 'vitest';
import { noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: ManifestIcon[];
}

describe.skipIf(noBrowser)('web app manifest and icons', () => {
  const suite = useTendAndBrowser();

  it('is linked from the page, served as JSON, and complete', async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.url}/`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    await expect(
      page.locator('meta[name="theme-color"]').count(),
      'theme-color for light and dark',
    ).resolves.toBe(2);
    await expect(page.locator('link[rel="apple-touch-icon"]').count()).resolves.toBe(1);
    await page.close();

    const response = await fetch(`${suite.url}${href ?? ''}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/(manifest\+)?json/);
    const manifest = (await response.json()) as Manifest;
    expect(manifest).toMatchObject({
      name: 'Tend',
      short_name: 'Tend',
      start_url: '/',
      display: 'standalone',
    });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);

    const png = manifest.icons.filter((icon) => icon.type === 'image/png');
    expect(png.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    expect(manifest.icons.some((icon) => icon.type === 'image/svg+xml')).toBe(true);

    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, suite.url));
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get('content-type'), icon.src).toContain(icon.type);
      const bytes = new Uint8Array(await image.arrayBuffer());
      if (icon.type === 'image/png') {
        // PNG signature, then the IHDR width and height match the declared size.
        expect([...bytes.subarray(0, 4)], icon.src).toEqual([0x89, 0x50, 0x4e, 0x47]);
        const view = new DataView(bytes.buffer);
        const size = `${String(view.getUint32(16))}x${String(view.getUint32(20))}`;
        expect(size, icon.src).toBe(icon.sizes);
      }
    }
  });

  it('favicon and Apple touch icon load', async () => {
    for (const [path, type] of [
      ['/favicon.ico', 'image/'],
      ['/icons/apple-touch-icon.png', 'image/png'],
      ['/icons/icon.svg', 'image/svg+xml'],
    ] as const) {
      const response = await fetch(`${suite.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain(type);
    }
  });
});
