/**
 * The renderer's Content Security Policy, sent as a header by both shells (index.html holds
 * the same policy as a meta tag for file:// loads). No inline or remote scripts; connections
 * only back to the app itself (the browser shell's WebSocket is same-origin).
 *
 * Styles allow 'unsafe-inline' for one reason: xterm.js writes its own <style> elements
 * (cell sizes, theme) and takes no nonce (xtermjs/xterm.js#4445). Scripts stay strict, which
 * is where the danger is; an injected style can restyle the page, not run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ')
