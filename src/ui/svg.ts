/** Small helpers for the SVG and HTML the graph and the run report write: escaping and a few elements. */

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export function rect(b: Box, attrs: Record<string, string | number>, title?: string): string {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : esc(v)}"`).join('');
  const head = `<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(Math.max(0, b.w))}" height="${num(b.h)}"${a}`;
  return title ? `${head}><title>${esc(title)}</title></rect>` : `${head}/>`;
}

export function text(x: number, y: number, content: string, attrs: Record<string, string | number> = {}): string {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : esc(v)}"`).join('');
  return `<text x="${num(x)}" y="${num(y)}"${a}>${esc(content)}</text>`;
}

export function svgDocument(width: number, height: number, body: readonly string[], title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** A self-contained page: inline CSS, no script, no request to anywhere. */
export function htmlPage(title: string, body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#1f2933;background:#fff}',
    'h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:24px 0 8px}table{border-collapse:collapse}',
    'td,th{border:1px solid #cbd2d9;padding:4px 8px;text-align:left;font-size:13px;vertical-align:top}',
    '.meta{color:#52606d;font-size:13px}.fail{color:#b42318}pre{background:#f5f7fa;padding:8px;overflow:auto;font-size:12px}</style>',
    '</head><body>',
    ...body,
    '</body></html>',
  ].join('\n');
}
