/**
 * A statement laid out over several lines in the source and sent as one line: each line break,
 * with the blanks around it, becomes one space, or nothing just inside a parenthesis; the breaks
 * at either end go. So the text sent, and pinned by the unit tests, does not change when the
 * source is laid out anew. Only the literal parts are touched, never an interpolated value.
 */
export function oneLine(strings: TemplateStringsArray, ...values: unknown[]): string {
  const last = strings.length - 1;
  const literal = (part: string, index: number) => {
    const trimmed = index === 0 ? part.trimStart() : part;
    const text = trimmed.replace(/[ \t]*\n\s*/g, (gap: string, offset: number) => {
      const before = trimmed[offset - 1];
      const after = trimmed[offset + gap.length];
      return before === '(' || after === ')' ? '' : ' ';
    });
    return index === last ? text.trimEnd() : text;
  };
  return strings.map((part, index) => (index === 0 ? '' : String(values[index - 1])) + literal(part, index)).join('');
}
