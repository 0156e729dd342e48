import type { UrlHandler } from './url-handler.js';

function sorted(handlers: readonly UrlHandler[]): UrlHandler[] {
  return [...handlers].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

/** `/help` (and the 404 body after `invalid path. `): every endpoint in path order, with its parameters. */
export function helpText(handlers: readonly UrlHandler[]): string {
  let out = 'admin commands are:\n';
  for (const h of sorted(handlers)) {
    out += `  ${h.prefix}${h.mutatesState ? ' (POST)' : ''}: ${h.help}\n`;
    for (const p of h.params) {
      out += `      ${p.id}: ${p.help}`;
      if (p.type === 'enum') out += `; One of (${(p.choices ?? []).join(', ')})`;
      out += '\n';
    }
  }
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * `GET /`: an HTML page listing every endpoint with a form for its parameters (POST for the state-changing ones),
 * like Envoy's admin home page, without its stylesheet and scripts.
 */
export function homePage(handlers: readonly UrlHandler[]): string {
  const rows = sorted(handlers)
    .filter((h) => h.prefix !== '/')
    .map((h) => {
      const inputs = h.params
        .map((p) => {
          const id = escapeHtml(p.id);
          if (p.type === 'boolean') return `<label><input type="checkbox" name="${id}"> ${id}</label>`;
          if (p.type === 'enum') return `<label>${id} <select name="${id}">${(p.choices ?? []).map((c) => `<option>${escapeHtml(c)}</option>`).join('')}</select></label>`;
          return `<label>${id} <input type="text" name="${id}"></label>`;
        })
        .join(' ');
      const action = escapeHtml(h.prefix.slice(1));
      const button = `<button type="submit">${escapeHtml(h.prefix.slice(1))}</button>`;
      return `  <tr class="home-row"><td class="home-data"><form action="${action}" method="${h.mutatesState ? 'post' : 'get'}">${button} ${inputs}</form></td><td class="home-data">${escapeHtml(h.help)}</td></tr>\n`;
    })
    .join('');
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>Envoy Admin</title>\n  <meta charset="utf-8">\n</head>\n<body>\n' +
    '<table class="home-table">\n  <thead><tr><th class="home-data">Command</th><th class="home-data">Description</th></tr></thead>\n<tbody>\n' +
    rows +
    '</tbody>\n</table>\n</body>\n</html>\n'
  );
}
