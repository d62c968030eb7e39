/*
 * The function's handler (`__entrypoint__.handler`), bundled on its own beside the handler bundle:
 * aws-cdk-lib's response wrapper (copied beside it as cdk-response-wrapper.js, see .projenrc.ts),
 * with a failed create answered by a physical ID of the library's own (see failed-create.ts), and a
 * Create's SUCCESS followed by the check that CloudFormation took it (see invocation.ts).
 * `external` is the wrapper's own, whose hooks the simulator replaces.
 */
import type { ResponseWrapper } from './failed-create';
import { entryPoint } from './invocation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrapper = require('./cdk-response-wrapper.js') as ResponseWrapper;

export const external = wrapper.external;
export const handler = entryPoint(wrapper);
