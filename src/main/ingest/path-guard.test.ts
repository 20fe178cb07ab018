import { describe, expect, it } from 'vitest';
import { isPathInside } from './path-guard';

describe('isPathInside (posix)', () => {
  const inside = (c: string, p: string) => isPathInside(c, p, 'linux');

  it('accepts files and folders below the parent', () => {
    expect(inside('/a/b/c.jpg', '/a/b')).toBe(true);
    expect(inside('/a/b/c/d/e.pdf', '/a/b/')).toBe(true);
    expect(inside('/a/b/c/', '/a/b')).toBe(true);
    expect(inside('/a/b/..receipts', '/a/b')).toBe(true);
  });

  it('rejects the parent itself, siblings with a common prefix and escapes via ..', () => {
    expect(inside('/a/b', '/a/b')).toBe(false);
    expect(inside('/a/b/', '/a/b')).toBe(false);
    expect(inside('/a/bc', '/a/b')).toBe(false);
    expect(inside('/a/bc/x.jpg', '/a/b')).toBe(false);
    expect(inside('/a/b/../c/x.jpg', '/a/b')).toBe(false);
    expect(inside('/a/b/../../etc/passwd', '/a/b')).toBe(false);
    expect(inside('/a/b/./c/../x.jpg', '/a/b')).toBe(true);
    expect(inside('/a', '/a/b')).toBe(false);
  });

  it('is case-sensitive on linux', () => {
    expect(inside('/A/B/c.jpg', '/a/b')).toBe(false);
  });

  it('resolves relative paths against the working directory', () => {
    expect(inside('x/y.jpg', process.cwd())).toBe(true);
    expect(inside('../y.jpg', process.cwd())).toBe(false);
  });
});

describe('isPathInside (darwin)', () => {
  it('ignores case', () => {
    expect(isPathInside('/Users/Me/Receipts/a.jpg', '/users/me/receipts', 'darwin')).toBe(true);
    expect(isPathInside('/Users/Me/ReceiptsX/a.jpg', '/users/me/receipts', 'darwin')).toBe(false);
  });
});

describe('isPathInside (win32)', () => {
  const inside = (c: string, p: string) => isPathInside(c, p, 'win32');

  it('handles drive letters, either separator and case', () => {
    expect(inside('C:\\Users\\me\\store\\a.jpg', 'c:\\users\\ME\\store\\')).toBe(true);
    expect(inside('C:/Users/me/store/sub/a.jpg', 'C:\\Users\\me\\store')).toBe(true);
    expect(inside('C:\\Users\\me\\storeX\\a.jpg', 'C:\\Users\\me\\store')).toBe(false);
    expect(inside('C:\\Users\\me\\store\\..\\a.jpg', 'C:\\Users\\me\\store')).toBe(false);
    expect(inside('D:\\Users\\me\\store\\a.jpg', 'C:\\Users\\me\\store')).toBe(false);
    expect(inside('C:\\Users\\me\\store', 'C:\\Users\\me\\store\\')).toBe(false);
  });
});
