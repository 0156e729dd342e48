import type { FormatContext } from './format-context.js';
import type { Op } from './operators/op.js';

/** Renders one line of a text format. */
export type TextRender = (ctx: FormatContext) => string;

type TextFn = (ctx: FormatContext) => string | undefined;

/**
 * Builds the render function of a text template. It generates straight-line code (one call site per operator, so
 * V8 can inline each operator) and falls back to a loop when code generation from strings is disabled.
 */
export function buildTextRender(literals: readonly string[], ops: readonly Op[], unset: string): TextRender {
  const fns: TextFn[] = ops.map((op) => op.text);
  try {
    return generate(literals, fns, unset);
  } catch {
    return loop(literals, fns, unset);
  }
}

function generate(literals: readonly string[], fns: readonly TextFn[], unset: string): TextRender {
  const params = fns.map((_, i) => `f${i}`);
  let body = '';
  for (let i = 0; i < fns.length; i++) body += `const v${i} = f${i}(ctx);\n`;
  let expr = JSON.stringify(literals[0] ?? '');
  for (let i = 0; i < fns.length; i++) {
    expr += ` + (v${i} === undefined ? U : v${i})`;
    const lit = literals[i + 1] ?? '';
    if (lit !== '') expr += ` + ${JSON.stringify(lit)}`;
  }
  const factory = new Function(...params, 'U', `'use strict';\nreturn function renderText(ctx) {\n${body}return ${expr};\n};`) as (
    ...args: unknown[]
  ) => TextRender;
  return factory(...fns, unset);
}

function loop(literals: readonly string[], fns: readonly TextFn[], unset: string): TextRender {
  const first = literals[0] ?? '';
  return (ctx) => {
    let out = first;
    for (let i = 0; i < fns.length; i++) {
      const v = (fns[i] as TextFn)(ctx);
      out += (v === undefined ? unset : v) + (literals[i + 1] as string);
    }
    return out;
  };
}

