import { describe, expect, it } from 'vitest';
import { levenshtein, similarity, slips } from './similarity';

describe('similarity', () => {
  it('counts edits', () => {
    expect(levenshtein('TOTAL', 'T0TAL')).toBe(1);
    expect(levenshtein('', 'ABC')).toBe(3);
    expect(levenshtein('KITTEN', 'SITTING')).toBe(3);
  });

  it('counts slips place by place, only between strings of one length', () => {
    expect(slips('PAPPADEAUY', 'PAPPADEAUX')).toBe(1);
    expect(slips('HARCH', 'MARCH')).toBe(1);
    expect(slips('ABC', 'ABC')).toBe(0);
    expect(slips('ABC', 'ABCD')).toBe(Infinity);
  });

  it('normalises by the longer string', () => {
    expect(similarity('ABCD', 'ABCD')).toBe(1);
    expect(similarity('ABCD', 'ABCE')).toBe(0.75);
    expect(similarity('', '')).toBe(1);
  });
});
