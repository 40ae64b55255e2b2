import { parseDocument, type Document } from 'yaml';

/**
 * Real `.aocbench.yaml` files contain plain scalars starting with `%`
 * (`daypath: %year%/%zeroday%`): invalid YAML 1.2 that AoCBench's lenient parser
 * accepted. We parse strictly first and, only if that fails, quote such scalars.
 */
const PERCENT_SCALAR = /^(\s*(?:-\s+|[^\s#:'"][^:#]*:\s+)|\s*-\s+[^\s#:'"][^:#]*:\s+)(%[^\n]*?)(\s+#.*)?$/gm;

export function quotePercentScalars(text: string): string {
  return text.replace(PERCENT_SCALAR, (_m, head: string, value: string, comment = '') => {
    const v = value.trimEnd();
    return `${head}'${v.replace(/'/g, "''")}'${comment}`;
  });
}

export interface LenientParse {
  doc: Document;
  /** True when the strict parse failed and the quoting fallback was needed. */
  lenient: boolean;
  errors: string[];
}

export function parseYamlLenient(text: string): LenientParse {
  const strict = parseDocument(text, { prettyErrors: true });
  if (strict.errors.length === 0) return { doc: strict, lenient: false, errors: [] };
  const fixed = parseDocument(quotePercentScalars(text), { prettyErrors: true });
  if (fixed.errors.length === 0) return { doc: fixed, lenient: true, errors: [] };
  return { doc: strict, lenient: false, errors: strict.errors.map((e) => e.message) };
}
