// Long text cut into messages of at most a given size: on line ends, else between grapheme clusters.

/** UTF-16 code units (WeChat's measure). */
export const utf16Length = (s: string): number => s.length;

/** UTF-8 bytes (WeCom's measure). */
export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Split text into parts of at most `max` (measured by `size`, default UTF-16 code units): on line
 * ends, else between grapheme clusters.
 */
export function splitText(
  text: string,
  max: number,
  size: (s: string) => number = utf16Length,
): string[] {
  if (max < 1) throw new RangeError('maxTextLength must be at least 1');
  if (size(text) <= max) return text === '' ? [] : [text];
  const parts: string[] = [];
  let current: string | null = null;
  // Sizes are kept as they grow: measuring the whole part again at every grapheme is quadratic.
  let currentSize = 0;
  const flush = () => {
    if (current !== null && current !== '') parts.push(current);
    current = null;
    currentSize = 0;
  };
  for (const line of text.split('\n')) {
    const lineSize = size(line);
    if (current !== null && currentSize + size('\n') + lineSize <= max) {
      current += '\n' + line;
      currentSize += size('\n') + lineSize;
      continue;
    }
    flush();
    if (lineSize <= max) {
      current = line;
      currentSize = lineSize;
      continue;
    }
    // One line longer than a message: cut between graphemes (never inside a surrogate pair or emoji).
    let piece = '';
    let pieceSize = 0;
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
      line,
    )) {
      const segmentSize = size(segment);
      if (pieceSize + segmentSize > max && piece !== '') {
        parts.push(piece);
        piece = '';
        pieceSize = 0;
      }
      piece += segment;
      pieceSize += segmentSize;
    }
    current = piece;
    currentSize = pieceSize;
  }
  flush();
  return parts;
}
