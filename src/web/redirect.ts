// Every redirect of the portal goes through here: a local path only, in the plain ASCII a Location header can carry.
import type { FastifyReply } from 'fastify';

/** A longer target is not followed (proxies and browsers cap their headers). */
export const MAX_REDIRECT_LENGTH = 2048;

// Kept as they are: letters, digits, the URL's own delimiters and "%" (so an encoded path stays the same).
const KEEP = new Set(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%",
);

/**
 * `target` as a path on this site, or '/'. Non-ASCII and other characters a URL may not carry
 * are percent-encoded as UTF-8 ('/北' → '/%E5%8C%97'), so the result is always ASCII and a
 * second pass leaves it unchanged.
 */
export function localPath(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target[1] === '/') return '/';
  // Browsers drop tabs and newlines from URLs and read a backslash as "/": "/<tab>/evil" would
  // become "//evil". An encoded character is never a separator, so "/\u3000/evil" stays local.
  for (const ch of target) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c === 0x7f || ch === '\\') return '/';
  }
  let out = '';
  // Buffer writes a lone surrogate as U+FFFD, where encodeURIComponent would throw.
  for (const byte of Buffer.from(target, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out +=
      byte < 0x80 && KEEP.has(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (out.length > MAX_REDIRECT_LENGTH) return '/';
  }
  return out;
}

/** Redirect to `target` made safe by localPath (303: the browser follows with GET). */
export function redirectLocal(reply: FastifyReply, target: unknown): FastifyReply {
  return reply.redirect(localPath(target), 303);
}
