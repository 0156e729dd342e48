/**
 * Orders stat names as Envoy's symbol table does (`SymbolTableImpl::lessThan`), which is how `/stats/prometheus`
 * sorts: token by token between dots, a name that is a prefix of another first. `a.b` sorts before `a-b`, unlike a
 * plain string comparison.
 */
export function compareStatNamesByToken(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    const ea = a.indexOf('.', i);
    const eb = b.indexOf('.', j);
    const ta = a.slice(i, ea < 0 ? a.length : ea);
    const tb = b.slice(j, eb < 0 ? b.length : eb);
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (ea < 0 || eb < 0) return ea < 0 ? (eb < 0 ? 0 : -1) : 1;
    i = ea + 1;
    j = eb + 1;
  }
}

/** Plain byte-wise order of full names: how `/stats` (text and JSON) sorts. */
export function compareStatNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
