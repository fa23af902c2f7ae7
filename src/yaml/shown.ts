/**
 * A value from a user file as an error message shows it: control characters and line breaks escaped (a value
 * cannot forge a second message line or move the terminal's cursor) and anything long cut short, with its length
 * (a 50 MB value is never echoed whole).
 */
const MAX = 60;

export function shownText(text: string, max = MAX): string {
  const chars = [...text];
  const cut = chars.length > max ? chars.slice(0, max) : chars;
  // eslint-disable-next-line no-control-regex
  const body = cut.join('').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  });
  return chars.length > max ? `${body}… (${chars.length} characters)` : body;
}

/** `'value'` in a message, escaped and cut as shownText does. */
export const quoted = (text: string): string => `'${shownText(text)}'`;
