import { keyboard } from '../../src/dsl/keyboard';

describe('keyboard', () => {
  it('builds rows from the fluent builder, dropping empty rows', () => {
    const kb = keyboard()
      .button('Order status', { command: 'order', params: '42' })
      .button('Talk to a human', { command: 'operator', style: 'primary', block: true })
      .row()
      .row()
      .button('Site', { link: 'https://example.com' })
      .button('Copy', { action: 'COPY', value: 'ABC' })
      .row()
      .build();
    expect(kb).toEqual({
      rows: [
        [
          { text: 'Order status', command: 'order', params: '42' },
          { text: 'Talk to a human', command: 'operator', style: 'primary', block: true },
        ],
        [
          { text: 'Site', link: 'https://example.com' },
          { text: 'Copy', action: 'COPY', value: 'ABC' },
        ],
      ],
    });
  });

  it('builds a keyboard from literal rows', () => {
    expect(keyboard([[{ text: 'A', command: 'a' }], [{ text: 'B', command: 'b' }]])).toEqual({
      rows: [[{ text: 'A', command: 'a' }], [{ text: 'B', command: 'b' }]],
    });
  });

  it('returns a frozen keyboard', () => {
    const kb = keyboard([[{ text: 'A', command: 'a' }]]);
    expect(Object.isFrozen(kb)).toBe(true);
    expect(Object.isFrozen(kb.rows[0]![0])).toBe(true);
  });

  it('rejects an empty text and a command with spaces', () => {
    expect(() => keyboard().button('', { command: 'a' })).toThrow(TypeError);
    expect(() => keyboard().button('A', { command: 'two words' })).toThrow(/command/);
    expect(() => keyboard('x' as never)).toThrow(TypeError);
  });
});
