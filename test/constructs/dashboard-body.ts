import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/*
 * Reads what a synthesized template asks CloudWatch for: the dashboard body's widgets and the
 * metrics they graph, and the metrics of the alarms.
 */

/** One metric of a widget or an alarm, as CloudWatch receives it. */
export interface UsedMetric {
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension names and values; a value that is a CloudFormation token reads `<token>`. */
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
}

/** A widget of the dashboard body. */
export interface BodyWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: any;
}

/** `value` with every CloudFormation token (`{Ref}`, `{Fn::GetAtt}`, ...) as the text `<token>`. */
export function flatten(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value && value['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(flatten).join(separator);
  }
  return '<token>';
}

/** The dashboard body of the one dashboard in `template`, parsed. */
export function dashboardBody(template: Template): { widgets: BodyWidget[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) {
    throw new Error(`expected one dashboard, found ${dashboards.length}`);
  }
  return JSON.parse(flatten(dashboards[0].Properties.DashboardBody));
}

/** The body of the one dashboard of `stack`. */
export function dashboardBodyOf(stack: Stack): { widgets: BodyWidget[] } {
  return dashboardBody(Template.fromStack(stack));
}

/** Every metric the widgets of `body` graph. */
export function widgetMetrics(body: { widgets: BodyWidget[] }): UsedMetric[] {
  const used: UsedMetric[] = [];
  for (const widget of body.widgets) {
    for (const entry of widget.properties.metrics ?? []) {
      const options = typeof entry[entry.length - 1] === 'object' ? entry[entry.length - 1] : {};
      const fields: string[] = typeof entry[entry.length - 1] === 'object' ? entry.slice(0, -1) : entry;
      if (fields.length === 0) {
        continue; // a math expression: its metrics are entries of their own
      }
      const [namespace, metricName, ...dims] = fields;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < dims.length; i += 2) {
        dimensions[dims[i]] = dims[i + 1];
      }
      used.push({ where: `widget '${widget.properties.title}'`, namespace, metricName, dimensions, statistic: options.stat ?? 'Average' });
    }
  }
  return used;
}

/** Every metric the alarms of `template` watch, math expressions' metrics included. */
export function alarmMetrics(template: Template): UsedMetric[] {
  const used: UsedMetric[] = [];
  for (const [id, alarm] of Object.entries(template.findResources('AWS::CloudWatch::Alarm'))) {
    const p = alarm.Properties;
    const dims = (list: any[] | undefined) => Object.fromEntries((list ?? []).map((d: any) => [d.Name, flatten(d.Value)]));
    if (p.MetricName) {
      used.push({ where: `alarm ${id}`, namespace: p.Namespace, metricName: p.MetricName, dimensions: dims(p.Dimensions), statistic: p.Statistic ?? p.ExtendedStatistic });
    }
    for (const query of p.Metrics ?? []) {
      if (query.MetricStat) {
        const m = query.MetricStat.Metric;
        used.push({ where: `alarm ${id}`, namespace: m.Namespace, metricName: m.MetricName, dimensions: dims(m.Dimensions), statistic: query.MetricStat.Stat });
      }
    }
  }
  return used;
}
