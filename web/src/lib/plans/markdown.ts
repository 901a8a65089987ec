/**
 * A person's own Markdown (plan sections), rendered to HTML that is safe to put in the page.
 *
 * Two layers, belt and braces:
 * 1. markdown-it with raw HTML off (`html: false`: any `<tag>` a person types is shown as text),
 *    images off (nothing is fetched from elsewhere), and links only to http(s), mailto and tel.
 * 2. DOMPurify over the result, with a short list of tags and attributes and the same link rule,
 *    so a bug or a plugin in layer 1 still cannot put a script, a handler or a frame in the page.
 *
 * Links open in a new tab with `rel="noopener noreferrer"` (the plan stays open, and the other
 * site learns nothing about where the person came from).
 *
 * This module is loaded on demand by the plan pages only (it brings markdown-it and DOMPurify).
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import markdownit, { type MarkdownIt } from 'markdown-it';

/** The only link schemes a rendered plan may contain. */
export const SAFE_LINK = /^(?:https?:|mailto:|tel:)/i;

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];
const ALLOWED_ATTR = ['href', 'title', 'start', 'rel', 'target'];

/** Strips control characters and white space that browsers ignore inside a URL's scheme. */
function normalisedUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').trim();
}

export function isSafeLink(url: string): boolean {
  return SAFE_LINK.test(normalisedUrl(url));
}

export interface RenderOptions {
  /**
   * The level of the heading the text sits under (a section title is an h2 or h3). Headings in
   * the text start one level below it and never skip a level, so the page's outline stays sound.
   */
  readonly headingBase?: number;
}

export type RenderMarkdown = (source: string, options?: RenderOptions) => string;

function markdownIt(): MarkdownIt {
  const md = markdownit({ html: false, linkify: true, breaks: true, typographer: false });
  md.disable(['image', 'html_block', 'html_inline']);
  md.validateLink = isSafeLink;
  return md;
}

function purifier(window: Window): DOMPurify {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    if (href === null || !isSafeLink(href)) {
      node.removeAttribute('href');
      node.removeAttribute('target');
      node.removeAttribute('rel');
      return;
    }
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('target', '_blank');
  });
  return purify;
}

/** Layer 2 alone: sanitises HTML for a window (the browser's, or a DOM made for tests). */
export function makeSanitiser(window: Window): (html: string) => string {
  const purify = purifier(window);
  return (html) =>
    purify.sanitize(html, {
      ALLOWED_TAGS,
      ALLOWED_ATTR,
      ALLOWED_URI_REGEXP: SAFE_LINK,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
    });
}

/**
 * Makes a renderer for a window (the browser's, or a DOM made for tests). In the app, use
 * `renderMarkdown`.
 */
export function makeRenderer(window: Window): RenderMarkdown {
  const md = markdownIt();
  const sanitise = makeSanitiser(window);
  return (source, options = {}) => {
    const base = Math.min(Math.max(options.headingBase ?? 2, 1), 5);
    const env = {};
    const tokens = md.parse(source, env);
    // Headings: start below the section's own heading, one level at a time.
    let previous = base;
    for (const token of tokens) {
      if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
      if (token.type === 'heading_open') {
        const wanted = base + Number(token.tag.slice(1));
        previous = Math.min(wanted, previous + 1, 6);
      }
      token.tag = `h${String(previous)}`;
    }
    return sanitise(md.renderer.render(tokens, md.options, env));
  };
}

let browserRenderer: RenderMarkdown | undefined;

/** Renders a person's Markdown to sanitised HTML, for `{@html}` in the plan pages. */
export const renderMarkdown: RenderMarkdown = (source, options) => {
  browserRenderer ??= makeRenderer(window);
  return browserRenderer(source, options);
};
