const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Headers for every page this server renders: no scripts, no external assets, no framing
 * (clickjacking a consent button is the classic attack), nothing cached.
 * `form-action` is left out on purpose: browsers apply it to the redirect that follows a
 * form post, which here goes to the client's own redirect URI.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
});

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
 font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827}
main{width:100%;max-width:420px;margin:24px;background:#fff;border-radius:12px;
 box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06);padding:32px}
h1{font-size:1.35rem;margin:0 0 4px}
.sub{color:#6b7280;margin:0 0 24px;font-size:.95rem}
label{display:block;font-weight:600;font-size:.9rem;margin:16px 0 6px}
input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid #d1d5db;border-radius:8px;font:inherit}
input:focus{outline:2px solid #2563eb;outline-offset:1px;border-color:#2563eb}
.actions{display:flex;gap:12px;margin-top:24px}
button{flex:1;padding:10px 14px;border-radius:8px;border:1px solid transparent;font:inherit;font-weight:600;cursor:pointer}
.primary{background:#2563eb;color:#fff}.primary:hover{background:#1d4ed8}
.secondary{background:#fff;color:#374151;border-color:#d1d5db}.secondary:hover{background:#f9fafb}
ul{padding-left:20px;margin:8px 0}
code{font:.85rem ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f4f6;padding:2px 6px;border-radius:4px;word-break:break-all}
.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:8px;padding:10px 12px;margin-bottom:8px}
.hint{color:#6b7280;font-size:.85rem;margin-top:20px}
.section{margin-top:16px}
.section h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#6b7280;margin:0}
`;

/** A complete HTML document around already-escaped body markup. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}
