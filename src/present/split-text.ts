// Long text cut into messages of at most a given length: on line ends, else between grapheme clusters.

/** Split text into parts of at most `max` code units: on line ends, else between grapheme clusters. */
export function splitText(text: string, max: number): string[] {
  if (max < 1) throw new RangeError('maxTextLength must be at least 1');
  if (text.length <= max) return text === '' ? [] : [text];
  const parts: string[] = [];
  let current: string | null = null;
  const flush = () => {
    if (current !== null && current !== '') parts.push(current);
    current = null;
  };
  for (const line of text.split('\n')) {
    if (current !== null && current.length + 1 + line.length <= max) {
      current += '\n' + line;
      continue;
    }
    flush();
    if (line.length <= max) {
      current = line;
      continue;
    }
    // One line longer than a message: cut between graphemes (never inside a surrogate pair or emoji).
    let piece = '';
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
      line,
    )) {
      if (piece.length + segment.length > max && piece !== '') {
        parts.push(piece);
        piece = '';
      }
      piece += segment;
    }
    current = piece;
  }
  flush();
  return parts;
}
