const LOOKAROUND = /\(\?<?[=!]/;
const BACKREFERENCE = /(?<!\\)(?:\\\\)*\\[1-9]/;
const RE2_FLAGS = /\(\?[imsU]+(?:-[imsU]+)?\)/g;
const RE2_FLAG_GROUP = /\(\?[imsU]+(?:-[imsU]+)?:/g;

/**
 * Why `source` is not a usable RE2 pattern, or undefined when it is. RE2 (Envoy's engine) has no lookaround and no
 * backreferences; its inline flags (`(?i)`) and `(?P<name>…)` groups are accepted. Other syntax is checked with the JavaScript parser.
 */
export function regexProblem(source: string): string | undefined {
  if (LOOKAROUND.test(source)) return `invalid regex ${JSON.stringify(source)}: lookaround is not supported by RE2`;
  if (BACKREFERENCE.test(source)) return `invalid regex ${JSON.stringify(source)}: backreferences are not supported by RE2`;
  try {
    new RegExp(source.replace(RE2_FLAGS, '').replace(RE2_FLAG_GROUP, '(?:').replace(/\(\?P</g, '(?<'));
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(err);
    return `invalid regex ${JSON.stringify(source)}: ${reason}`;
  }
}
