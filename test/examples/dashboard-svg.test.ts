import { readFileSync } from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleApp } from '../../examples/app';
import { dashboardSvg, dashboardWidgetsOf } from '../../examples/dashboard-svg';

/*
 * The README's dashboard picture is what `npx projen docs:pictures` draws from the example app's
 * dashboard body now: a change to the dashboard that leaves the picture behind fails here.
 */

describe('the README\'s dashboard picture', () => {
  const { stack } = exampleApp();
  const widgets = dashboardWidgetsOf(Template.fromStack(stack).toJSON() as any);

  test('the committed picture is the one the example app\'s dashboard body gives', () => {
    // WHEN
    const drawn = dashboardSvg(widgets, `Dashboard ${stack.stackName}-ivs-realtime (example app)`);

    // THEN
    const committed = readFileSync(path.join(__dirname, '..', '..', 'docs', 'images', 'dashboard.svg'), 'utf8');
    expect(drawn === committed).toBe(true); // not toEqual: a diff of two SVGs says less than "run docs:pictures"
  });

  test('every widget and every metric label of the body is in the picture', () => {
    // WHEN
    const svg = dashboardSvg(widgets, 'x');

    // THEN
    const text = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    const titles = widgets.map((w) => w.properties.title).filter((t) => t !== undefined);
    expect(titles.filter((t) => !text.includes(t.replace(/&/g, '&amp;')))).toEqual([]);
    expect(svg.match(/<rect [^>]*stroke="#d5dbdb"/g)).toHaveLength(widgets.length);
  });
});
