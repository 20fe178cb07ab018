import { describe, expect, it } from 'vitest';
import { levenshtein, similarity } from './similarity';

describe('similarity', () => {
  it('counts edits', () => {
    expect(levenshtein('TOTAL', 'T0TAL')).toBe(1);
    expect(levenshtein('', 'ABC')).toBe(3);
    expect(levenshtein('KITTEN', 'SITTING')).toBe(3);
  });

  it('normalises by the longer string', () => {
    expect(similarity('ABCD', 'ABCD')).toBe(1);
    expect(similarity('ABCD', 'ABCE')).toBe(0.75);
    expect(similarity('', '')).toBe(1);
  });
});
