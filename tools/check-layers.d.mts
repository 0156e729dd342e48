/** Who may depend on whom: the layer table of docs/architecture.md (without the implicit `error`). */
export declare const ALLOWED_DEPENDENCIES: Readonly<Record<string, readonly string[]>>;

/** The packages `pkg` may depend on, `error` included; empty for a package not in the table. */
export declare function allowedDependencies(pkg: string): string[];

/** One module specifier imported by a source file, with its 1-based line. */
export interface ImportedSpecifier {
  readonly specifier: string;
  readonly line: number;
}

/** Every module specifier `text` imports (static, type-only, re-export, dynamic, require); comments and strings don't count. */
export declare function importsOf(file: string, text: string): ImportedSpecifier[];

/** The result of {@link checkLayers}: one message per violation, empty when the tree follows the table. */
export interface CheckLayersResult {
  readonly violations: string[];
}

/** Checks `rootDir/packages/*` (package.json dependencies and src/test/bench imports) against the layer table and for cycles. */
export declare function checkLayers(rootDir: string): CheckLayersResult;
