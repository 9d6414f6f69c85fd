import { readFileSync } from 'node:fs';

export interface Span {
  type: string;
  start: number;
  end: number;
}

export interface Example {
  id: string;
  text: string;
  spans: Span[];
}

const LABEL = /\[\[([A-Z_]+)\|([\s\S]*?)\]\]/g;

/** Parses the corpus format: one message per line, "\n" escapes, [[TYPE|value]] labels. */
export function loadCorpus(path: string, name: string): Example[] {
  const examples: Example[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, lineIndex) => {
      if (raw.trim() === '' || raw.startsWith('#')) return;
      const line = raw.replace(/\\n/g, '\n');
      const spans: Span[] = [];
      let text = '';
      let at = 0;
      LABEL.lastIndex = 0;
      for (let m = LABEL.exec(line); m; m = LABEL.exec(line)) {
        text += line.slice(at, m.index);
        spans.push({ type: m[1] as string, start: text.length, end: text.length + (m[2] as string).length });
        text += m[2];
        at = m.index + m[0].length;
      }
      text += line.slice(at);
      examples.push({ id: `${name}:${lineIndex + 1}`, text, spans });
    });
  return examples;
}
