import { App, Aws, CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { LinearBodyDashboard } from '../../src/private/linear-body-dashboard';

/*
 * The dashboard body must be what aws-cdk-lib's own Dashboard renders for the same widgets, once
 * CloudFormation has put in the deploy-time values: each test builds one dashboard of each kind in
 * two stacks alike, and compares the bodies with every intrinsic replaced by a value of its own.
 */

/** A JSON-safe stand-in for the value CloudFormation would put where `intrinsic` is. */
function deployTimeValue(intrinsic: unknown): string {
  return `deployed(${JSON.stringify(intrinsic).replace(/[^A-Za-z0-9:.,_-]/g, '')})`;
}

/** A template value as CloudFormation evaluates it, with `deployTimeValue` for every intrinsic but Fn::Join. */
function evaluate(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(evaluate).join(separator);
  }
  return deployTimeValue(value);
}

function body(stack: Stack): { text: string; template: any } {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as any[];
  return { text: evaluate(dashboard.Properties.DashboardBody), template: dashboard.Properties.DashboardBody };
}

/** The same dashboard content in a fresh stack, on a LinearBodyDashboard and on aws-cdk-lib's own Dashboard. */
function bothBodies(fill: (stack: Stack, dashboard: cloudwatch.Dashboard) => void) {
  const app = new App();
  const linear = new Stack(app, 'Linear', { env: { account: '111111111111', region: 'us-east-1' } });
  const stock = new Stack(app, 'Stock', { env: { account: '111111111111', region: 'us-east-1' } });
  const props = { dashboardName: 'Same', defaultInterval: undefined };
  fill(linear, new LinearBodyDashboard(linear, 'Dashboard', props));
  fill(stock, new cloudwatch.Dashboard(stock, 'Dashboard', props));
  return { linear: body(linear), stock: body(stock) };
}

/** Widgets of every kind the IVS dashboard draws, with deploy-time values and characters JSON escapes. */
function everyKindOfWidget(stack: Stack, dashboard: cloudwatch.Dashboard): void {
  const thing = new CfnResource(stack, 'Thing', { type: 'Test::Thing' });
  const id = thing.getAtt('Id').toString();
  const metric = new cloudwatch.Metric({ namespace: 'AWS/IVSRealTime', metricName: 'Publishers', dimensionsMap: { Stage: id }, statistic: 'Maximum' });
  const alarm = new cloudwatch.Alarm(stack, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1 });
  const arn = stack.formatArn({ service: 'ivs', resource: 'stage', resourceName: id });
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ alarms: [alarm], width: 24, title: `Alarms of "${arn}"` }));
  dashboard.addWidgets(
    new cloudwatch.TextWidget({ markdown: '# "Quoted" \\ back\nslash, tab\t and ünïcode ✓', width: 12, height: 2 }),
    new cloudwatch.GraphWidget({
      title: `Stage ${id}: "participants"`,
      left: [metric.with({ label: 'Publishers' }), new cloudwatch.Metric({ namespace: 'AWS/IVSRealTime', metricName: 'Subscribers', dimensionsMap: { Stage: id }, label: `${id}${Aws.REGION}` })],
      leftAnnotations: [{ value: 12, label: 'quota' }],
      width: 12,
    }),
  );
  dashboard.addWidgets(new cloudwatch.SingleValueWidget({
    metrics: [new cloudwatch.MathExpression({ expression: 'FILL(m, 0)', usingMetrics: { m: metric } })],
    title: Lazy.string({ produce: () => `produced "late"\n for ${id}` }),
  }));
}

describe('LinearBodyDashboard', () => {
  test('renders the body aws-cdk-lib renders for the same widgets', () => {
    // GIVEN widgets of every kind the IVS dashboard draws, on both dashboards
    // WHEN both are synthesized
    const { linear, stock } = bothBodies(everyKindOfWidget);

    // THEN the bodies are the same JSON once CloudFormation has put in the deploy-time values
    expect(JSON.parse(linear.text)).toEqual(JSON.parse(stock.text));
    expect(linear.text).toEqual(stock.text);
  });

  test('joins the body in one Fn::Join whose literal parts are never next to each other', () => {
    // GIVEN widgets with deploy-time values
    // WHEN the dashboard is synthesized
    const { linear } = bothBodies(everyKindOfWidget);

    // THEN the body is one flat join: deploy-time values between literals
    const [separator, parts] = linear.template['Fn::Join'];
    expect(separator).toBe('');
    parts.forEach((part: unknown, i: number) => {
      expect(typeof part === 'string' && typeof parts[i + 1] === 'string').toBe(false);
      expect((part as any)?.['Fn::Join']).toBeUndefined();
    });
  });

  test('shows widgets and variables added after it was defined', () => {
    // GIVEN a dashboard whose widgets and a variable come after it, as a user adds them
    const { linear, stock } = bothBodies((stack, dashboard) => {
      everyKindOfWidget(stack, dashboard);
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: 'added later', width: 6, height: 1 }));
      dashboard.addVariable(new cloudwatch.DashboardVariable({
        id: 'stage', type: cloudwatch.VariableType.PROPERTY, inputType: cloudwatch.VariableInputType.INPUT, value: 'Stage',
      }));
    });

    // THEN they are in the body, where aws-cdk-lib puts them
    expect(JSON.parse(linear.text)).toEqual(JSON.parse(stock.text));
    expect(JSON.parse(linear.text).widgets.at(-1).properties.markdown).toBe('added later');
    expect(JSON.parse(linear.text).variables).toHaveLength(1);
  });

  test('leaves a body with a number token to aws-cdk-lib\'s rendering', () => {
    // GIVEN a widget whose annotation is a deploy-time number
    const { linear, stock } = bothBodies((stack, dashboard) => {
      everyKindOfWidget(stack, dashboard);
      const annotation = Token.asNumber(new CfnResource(stack, 'Limit', { type: 'Test::Limit' }).getAtt('Value'));
      dashboard.addWidgets(new cloudwatch.GraphWidget({ left: [new cloudwatch.Metric({ namespace: 'N', metricName: 'M' })], leftAnnotations: [{ value: annotation }] }));
    });

    // THEN the body is aws-cdk-lib's own
    expect(linear.template).toEqual(stock.template);
  });

  test('refuses a list token in a widget\'s string with aws-cdk-lib\'s own error', () => {
    // GIVEN a widget whose text holds a list token
    const fill = (stack: Stack, dashboard: cloudwatch.Dashboard) => {
      const list = Token.asList(new CfnResource(stack, 'Names', { type: 'Test::Names' }).getAtt('Names'));
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `${list}`, width: 6, height: 1 }));
    };

    // WHEN it is synthesized
    // THEN it fails as aws-cdk-lib's own dashboard does
    expect(() => bothBodies(fill)).toThrow(/encoded list token string in a scalar string context/);
  });
});
