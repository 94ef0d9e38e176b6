import { describe, expect, it } from 'vitest';
import { fillTemplate } from './fill-template.js';

const none = { values: {}, flags: {} };

describe('fillTemplate', () => {
  it('replaces inline placeholders and leaves nginx syntax alone', () => {
    const result = fillTemplate('listen {{address}};\nlocation ~ \\.ts$ { a{1}; }', {
      values: { address: '0.0.0.0:80' },
      flags: {},
    });
    expect(result).toEqual({ ok: true, value: 'listen 0.0.0.0:80;\nlocation ~ \\.ts$ { a{1}; }' });
  });

  it('does not interpret $ patterns in values', () => {
    const result = fillTemplate('x {{v}};', { values: { v: "$&$'" }, flags: {} });
    expect(result).toEqual({ ok: true, value: "x $&$';" });
  });

  it('indents block placeholders and drops them when empty', () => {
    const template = 'upstream u {\n    {{servers}}\n    keepalive 1;\n}';
    expect(fillTemplate(template, { values: { servers: 'server a;\nserver b backup;' }, flags: {} })).toEqual({
      ok: true,
      value: 'upstream u {\n    server a;\n    server b backup;\n    keepalive 1;\n}',
    });
    expect(fillTemplate(template, { values: { servers: '' }, flags: {} })).toEqual({
      ok: true,
      value: 'upstream u {\n    keepalive 1;\n}',
    });
  });

  it('keeps or drops conditional blocks, nested ones too', () => {
    const template = 'a\n{{#if outer}}\nb\n  {{#if inner}}\nc\n  {{/if}}\n{{/if}}\nd';
    const fill = (outer: boolean, inner: boolean) => fillTemplate(template, { values: {}, flags: { outer, inner } });
    expect(fill(true, true)).toEqual({ ok: true, value: 'a\nb\nc\nd' });
    expect(fill(true, false)).toEqual({ ok: true, value: 'a\nb\nd' });
    expect(fill(false, true)).toEqual({ ok: true, value: 'a\nd' });
  });

  it('does not require values used only inside dropped blocks to be valid', () => {
    const result = fillTemplate('{{#if on}}\n{{missing}}\n{{/if}}', { values: {}, flags: { on: false } });
    expect(result).toEqual({ ok: true, value: '' });
  });

  it('reports unknown placeholders and flags with the line number', () => {
    const placeholder = fillTemplate('ok\nx {{nope}};', none);
    expect(placeholder.ok).toBe(false);
    if (!placeholder.ok) {
      expect(placeholder.error.code).toBe('unknown_placeholder');
      expect(placeholder.error.message).toContain('line 2');
    }
    const flag = fillTemplate('{{#if nope}}\n{{/if}}', none);
    expect(flag.ok ? undefined : flag.error.code).toBe('unknown_flag');
  });

  it('reports unbalanced blocks both ways', () => {
    const unclosed = fillTemplate('{{#if a}}\nx', { values: {}, flags: { a: true } });
    expect(unclosed.ok ? undefined : unclosed.error.code).toBe('unbalanced_block');
    const stray = fillTemplate('x\n{{/if}}', none);
    expect(stray.ok ? undefined : stray.error.code).toBe('unbalanced_block');
  });

  it('rejects malformed tags and multi-line inline values', () => {
    const malformed = fillTemplate('x {{#if a}} y', { values: {}, flags: { a: true } });
    expect(malformed.ok ? undefined : malformed.error.code).toBe('malformed_tag');
    const multiline = fillTemplate('x {{v}};', { values: { v: 'a\nb' }, flags: {} });
    expect(multiline.ok ? undefined : multiline.error.code).toBe('multiline_inline_value');
  });

  it('does not treat inherited object keys as values', () => {
    const result = fillTemplate('{{toString}}', none);
    expect(result.ok ? undefined : result.error.code).toBe('unknown_placeholder');
  });
});
