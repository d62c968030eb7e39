/*
 * Evaluates a CloudWatch Logs JSON filter pattern against a log line, for the part of the syntax
 * the library's metric filters use and nothing more: `{ SELECTOR = "string" }` terms, joined by
 * `&&` or `||` and grouped with parentheses. Selectors are `$.name.name` and `$.name[0]`. Anything
 * else (numbers, `!=`, wildcards, `EXISTS`, `IS NULL`, mixing `&&` and `||` without parentheses)
 * is an error, never a silent guess.
 *
 * No implementation of CloudWatch Logs' filter engine is published (moto's treats JSON patterns
 * as unsupported; npm has none), hence this one. What it follows, from the CloudWatch Logs User
 * Guide, "Filter pattern syntax for metric filters ... (JSON log events)": a JSON pattern is
 * enclosed in braces; a selector starts at `$`; a string value is compared exactly, case-sensitive;
 * a selector naming a field the event does not have does not match; a log line that is not a JSON
 * object matches no JSON pattern.
 */

type Node =
  | { readonly kind: 'equals'; readonly path: Array<string | number>; readonly value: string }
  | { readonly kind: 'and' | 'or'; readonly terms: Node[] };

/** Whether `pattern` matches `logLine`. */
export function matchesFilterPattern(pattern: string, logLine: string): boolean {
  const tree = parseFilterPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(logLine);
  } catch {
    return false;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return false;
  }
  return evaluate(tree, event);
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.terms.every((t) => evaluate(t, event));
    case 'or':
      return node.terms.some((t) => evaluate(t, event));
    case 'equals': {
      let value: any = event;
      for (const step of node.path) {
        if (value === null || typeof value !== 'object' || !(step in value)) {
          return false;
        }
        value = value[step];
      }
      return typeof value === 'string' && value === node.value;
    }
  }
}

/** The syntax tree of `pattern`; an error for anything outside the subset above. */
export function parseFilterPattern(pattern: string): Node {
  const tokens = tokenize(pattern);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`filter pattern ${pattern}: expected ${expected ?? 'more'}, got ${token ?? 'the end'}`);
    }
    return token;
  };

  const expression = (): Node => {
    const terms = [term()];
    let op: string | undefined;
    while (peek() === '&&' || peek() === '||') {
      const next = take();
      if (op && op !== next) {
        throw new Error(`filter pattern ${pattern}: && and || mixed without parentheses`);
      }
      op = next;
      terms.push(term());
    }
    return terms.length === 1 ? terms[0] : { kind: op === '&&' ? 'and' : 'or', terms };
  };

  const term = (): Node => {
    if (peek() === '(') {
      take('(');
      const inner = expression();
      take(')');
      return inner;
    }
    const path = selector(take());
    take('=');
    const value = take();
    if (!/^"[^"*\\]*"$/.test(value)) {
      throw new Error(`filter pattern ${pattern}: only quoted strings without wildcards or escapes are supported, got ${value}`);
    }
    return { kind: 'equals', path, value: value.slice(1, -1) };
  };

  take('{');
  const tree = expression();
  take('}');
  if (i !== tokens.length) {
    throw new Error(`filter pattern ${pattern}: unexpected ${tokens[i]}`);
  }
  return tree;
}

function selector(token: string): Array<string | number> {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$/.test(token)) {
    throw new Error(`unsupported selector ${token}`);
  }
  return [...token.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("[^"]*"|&&|\|\||!=|[{}()=]|[^\s{}()=&|"!]+)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = re.exec(pattern)) !== null) {
    tokens.push(match[1]);
    end = re.lastIndex;
  }
  if (pattern.slice(end).trim() !== '') {
    throw new Error(`filter pattern ${pattern}: cannot read ${pattern.slice(end)}`);
  }
  if (tokens.includes('!=')) {
    throw new Error(`filter pattern ${pattern}: != is not supported`);
  }
  return tokens;
}
