/** `@NAME@` placeholders in the sim/ script templates. A placeholder left unfilled is a builder bug. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  const out = text.replace(/@([A-Z_]+)@/g, (whole, name: string) => values[name] ?? whole);
  const left = /@[A-Z_]+@/.exec(out);
  if (left) throw new Error(`template placeholder ${left[0]} has no value`);
  return out;
}
