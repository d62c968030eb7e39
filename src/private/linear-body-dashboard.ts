import { DefaultTokenResolver, IResolvable, IResolveContext, Stack, StringConcat, Token, TokenizedStringFragments, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/*
 * aws-cdk-lib renders a dashboard body with Stack.toJsonString, which resolves every number and
 * string of every widget one at a time and joins the pieces around each deploy-time value
 * pairwise. For a dashboard of 50 stages (150 graphs, about 700 deploy-time values) that took
 * 300 ms of each synth, most of the dashboard's cost. This dashboard renders the same body with
 * JSON.stringify, resolving only the tokens in it, and joins the pieces once.
 */

/** What the body may hold that only aws-cdk-lib's own rendering handles: a number token or a list token. */
class NotPlainJson extends Error {}

/** Resolves tokens to values whose string tokens stay encoded, for JSON.stringify to write out. */
class KeepStringTokens extends DefaultTokenResolver {
  constructor() {
    super(new StringConcat());
  }

  public resolveString(fragments: TokenizedStringFragments, _context: IResolveContext): any {
    return fragments.join(new StringConcat());
  }
}

/**
 * The body of a CloudWatch dashboard: a JSON document with deploy-time values in its strings,
 * resolved to one `Fn::Join` (or a plain string when it has none).
 */
class DashboardBody implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly scope: Construct, private readonly produce: () => unknown) {}

  public resolve(context: IResolveContext): any {
    const body = this.produce();
    let json: string;
    try {
      json = JSON.stringify(body, (_key, value) => this.plain(value));
    } catch (error) {
      if (error instanceof NotPlainJson) {
        return context.resolve(Stack.of(this.scope).toJsonString(body));
      }
      throw error;
    }
    const parts: unknown[] = [];
    let literal = '';
    const append = (value: unknown) => {
      if (typeof value === 'string') {
        // A string inside a JSON string: quoted as JSON.stringify quotes one.
        literal += JSON.stringify(value).slice(1, -1);
      } else if (isConcatenation(value)) {
        value['Fn::Join'][1].forEach(append);
      } else {
        parts.push(literal, value);
        literal = '';
      }
    };
    let at = 0;
    for (const token of Tokenization.reverseString(json).tokens) {
      const marker = token.toString();
      const found = json.indexOf(marker, at);
      literal += json.slice(at, found);
      at = found + marker.length;
      append(context.resolve(token));
    }
    parts.push(literal + json.slice(at));
    const pieces = parts.filter((part) => part !== '');
    return pieces.length === 1 && typeof pieces[0] === 'string' ? pieces[0] : { 'Fn::Join': ['', pieces] };
  }

  /** The value as JSON.stringify should write it: resolvables resolved, string tokens still encoded. */
  private plain(value: unknown): unknown {
    if (Tokenization.isResolvable(value)) {
      return Tokenization.resolve(value, { scope: this.scope, resolver: new KeepStringTokens(), preparing: false });
    }
    if (typeof value === 'number' && Token.isUnresolved(value)) {
      throw new NotPlainJson();
    }
    if (typeof value === 'string' && Token.isUnresolved(value) && Tokenization.reverseString(value).tokens.length === 0) {
      // A list token inside a string.
      throw new NotPlainJson();
    }
    return value;
  }
}

/** An `Fn::Join` without a delimiter, whose parts can join those around it. */
function isConcatenation(value: unknown): value is { 'Fn::Join': ['', unknown[]] } {
  const join = (value as { 'Fn::Join'?: unknown } | null)?.['Fn::Join'];
  return Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) && Object.keys(value as object).length === 1;
}

/**
 * A `cloudwatch.Dashboard` whose body renders in time linear in its size, with the same widgets,
 * layout and JSON as aws-cdk-lib's own. Widgets added later, by anyone, show as on any dashboard.
 */
export class LinearBodyDashboard extends cloudwatch.Dashboard {
  private rowsInOrder?: cloudwatch.IWidget[];
  private variablesInOrder?: cloudwatch.IVariable[];

  constructor(scope: Construct, id: string, props: Pick<cloudwatch.DashboardProps, 'dashboardName' | 'defaultInterval'>) {
    super(scope, id, props);
    const start = props.defaultInterval && `-${props.defaultInterval.toIsoString()}`;
    (this.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody = Token.asString(new DashboardBody(this, () => {
      const column = new cloudwatch.Column(...this.rowsInOrder ?? []);
      column.position(0, 0);
      const variables = this.variablesInOrder ?? [];
      return {
        start,
        widgets: column.toJson(),
        variables: variables.length > 0 ? variables.map((variable) => variable.toJson()) : undefined,
      };
    }));
  }

  public addWidgets(...widgets: cloudwatch.IWidget[]): void {
    super.addWidgets(...widgets);
    if (widgets.length > 0) {
      (this.rowsInOrder ??= []).push(widgets.length > 1 ? new cloudwatch.Row(...widgets) : widgets[0]);
    }
  }

  public addVariable(variable: cloudwatch.IVariable): void {
    super.addVariable(variable);
    (this.variablesInOrder ??= []).push(variable);
  }
}
