/**
 * A deployment.toml value written verbatim into an XML file (master-datasources.xml): what an XML parser makes of
 * it. `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and character references decode; a bare `&` or a `<` makes the
 * document unreadable (sim/rules/databases.ts). The parser's wording is Woodstox's style; the exact text in a real
 * Carbon log is not in the sources read.
 */
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export type XmlValue = { ok: true; value: string } | { ok: false; problem: string };

export function readXmlText(raw: string): XmlValue {
  const lt = raw.indexOf('<');
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (i === lt) return { ok: false, problem: "Unexpected character '<' in text content" };
    if (c !== '&') {
      out += c;
      continue;
    }
    const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*)(;?)/.exec(raw.slice(i));
    if (!m) return { ok: false, problem: `Unexpected character '${raw[i + 1] ?? 'EOF'}'; expected an entity name after '&'` };
    const [whole, ref, semi] = m;
    if (!semi) {
      const next = raw[i + whole!.length];
      const shown = next === undefined ? 'EOF' : `'${next}' (code ${next.charCodeAt(0)})`;
      return { ok: false, problem: `Unexpected character ${shown}; expected a semi-colon after the reference for entity '${ref}'` };
    }
    if (ref!.startsWith('#')) out += String.fromCodePoint(ref!.startsWith('#x') ? parseInt(ref!.slice(2), 16) : Number(ref!.slice(1)));
    else if (NAMED[ref!] !== undefined) out += NAMED[ref!];
    else return { ok: false, problem: `Undeclared general entity "${ref}"` };
    i += whole!.length - 1;
  }
  return { ok: true, value: out };
}
