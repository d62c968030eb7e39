/*
 * Lays out a CloudWatch dashboard body as an SVG picture: each widget where the body puts it on
 * CloudWatch's 24-column grid, with its title, the metrics it graphs (label, namespace, metric
 * name and statistic) and its horizontal annotations. Deterministic: the same body gives the same
 * picture, byte for byte, so a test can compare the committed picture with a fresh one.
 */

/** A widget of a dashboard body, as CloudWatch reads it. */
export interface DashboardWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: any;
}

const COLUMN = 40;
const ROW = 26;
const MARGIN = 8;
const LINE = 15;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** At most `max` characters of `text`, with an ellipsis when cut. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `text` in lines of at most `max` characters, broken at spaces (a longer word stands alone). */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= max) {
      lines[last] += ` ${word}`;
    } else {
      lines.push(word);
    }
  }
  return lines;
}

function textLine(x: number, y: number, text: string, attrs = ''): string {
  return `<text x="${x}" y="${y}"${attrs ? ` ${attrs}` : ''}>${escape(text)}</text>`;
}

/** The lines a widget shows inside its frame, with the colour of each. */
function widgetLines(widget: DashboardWidget): Array<{ text: string; color?: string; dashed?: boolean }> {
  const p = widget.properties;
  if (widget.type === 'text') {
    return String(p.markdown).split('\n').map((line) => ({ text: line.replace(/^#+\s*/, '') }));
  }
  if (widget.type === 'alarm') {
    return [{ text: `state of ${p.alarms.length} alarms` }];
  }
  const lines: Array<{ text: string; color?: string; dashed?: boolean }> = [];
  (p.metrics ?? []).forEach((entry: any[], i: number) => {
    const options = typeof entry[entry.length - 1] === 'object' ? entry[entry.length - 1] : {};
    const fields = typeof entry[entry.length - 1] === 'object' ? entry.slice(0, -1) : entry;
    const what = fields.length >= 2 ? `${fields[0]} ${fields[1]}, ${options.stat ?? 'Average'}` : String(options.expression ?? '');
    lines.push({ text: `${options.label ?? fields[1]} (${what})`, color: COLORS[i % COLORS.length] });
  });
  for (const annotation of p.annotations?.horizontal ?? []) {
    lines.push({ text: `${annotation.label ?? 'line'}: ${annotation.value}`, color: annotation.color ?? '#7f7f7f', dashed: true });
  }
  return lines;
}

/** The SVG picture of `widgets`. */
export function dashboardSvg(widgets: readonly DashboardWidget[], title: string): string {
  const bottom = Math.max(...widgets.map((w) => w.y + w.height));
  const width = 24 * COLUMN + 2 * MARGIN;
  const height = bottom * ROW + 2 * MARGIN + 24;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#f2f3f3"/>`,
    textLine(MARGIN, MARGIN + 12, title, 'font-size="13" font-weight="bold" fill="#16191f"'),
  ];
  for (const widget of widgets) {
    const x = MARGIN + widget.x * COLUMN + 2;
    const y = MARGIN + 24 + widget.y * ROW + 2;
    const w = widget.width * COLUMN - 4;
    const h = widget.height * ROW - 4;
    const chars = Math.floor((w - 30) / 6);
    out.push('<g>');
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="#ffffff" stroke="#d5dbdb"/>`);
    let line = y + 16;
    for (const titleLine of wrap(widget.properties.title ?? '', Math.floor((w - 16) / 6.5))) {
      out.push(textLine(x + 8, line, titleLine, 'font-weight="bold" fill="#16191f"'));
      line += LINE;
    }
    line += widget.properties.title ? 2 : 0;
    for (const item of widgetLines(widget)) {
      if (line > y + h - 6) {
        break;
      }
      if (item.color) {
        out.push(`<line x1="${x + 8}" y1="${line - 4}" x2="${x + 22}" y2="${line - 4}" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="3,2"' : ''}/>`);
      }
      out.push(textLine(item.color ? x + 28 : x + 8, line, fit(item.text, chars), 'fill="#414750"'));
      line += LINE;
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A template value as text, each CloudFormation token (`Ref`, `Fn::GetAtt`, ...) as `<token>`. */
function flatten(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value && value['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(flatten).join(separator);
  }
  return '<token>';
}

/** The widgets of the one dashboard of a synthesized template. */
export function dashboardWidgetsOf(template: { Resources: Record<string, any> }): DashboardWidget[] {
  const dashboards = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1) {
    throw new Error(`expected one dashboard in the template, found ${dashboards.length}`);
  }
  return JSON.parse(flatten(dashboards[0].Properties.DashboardBody)).widgets;
}
