import * as path from 'path';
import { CustomResourceProviderBase, Duration, Size, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The handler bundle that the build writes (see `.projenrc.ts`); one bundle serves every type. */
const HANDLER_CODE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler');

/**
 * Pinned rather than taken from the consumer's aws-cdk-lib, so that a deploy never depends on
 * which aws-cdk-lib the consumer has: the bundle is built for it.
 */
const HANDLER_RUNTIME = 'nodejs24.x';

/** How long one handler invocation may run. IVS control-plane calls are synchronous. */
export const HANDLER_TIMEOUT = Duration.minutes(2);

/**
 * How long CloudFormation waits for a response before failing the resource. Longer than the
 * handler's own timeout, so that a response which never arrives costs minutes, not the hour
 * CloudFormation waits by default.
 */
export const SERVICE_TIMEOUT = Duration.minutes(5);

/** What one resource type's handler is and may do. */
export interface IvsHandlerSpec {
  /** The CloudFormation resource type, e.g. `Custom::IvsStage`. */
  readonly resourceType: string;
  /** The IVS ARN resource type the handler works on, e.g. `stage`. */
  readonly arnResource: string;
  /** The only IAM actions the handler's role allows, on ARNs of `arnResource` in this account and region. */
  readonly actions: string[];
}

/**
 * The Lambda function behind one resource type: one per stack and type, shared by every
 * resource of that type in the stack.
 *
 * A direct Lambda-backed provider: CloudFormation invokes the function once per lifecycle event
 * and the core response wrapper answers it, so there is no Provider-framework Lambda in between.
 */
export class IvsHandlerProvider extends CustomResourceProviderBase {
  /** The stack's provider for `spec.resourceType`, created on first use. */
  public static getOrCreate(scope: Construct, spec: IvsHandlerSpec): IvsHandlerProvider {
    const stack = Stack.of(scope);
    const id = `${spec.resourceType.replace('Custom::', '')}HandlerProvider`;
    const existing = stack.node.tryFindChild(id);
    if (existing) {
      return existing as IvsHandlerProvider;
    }
    return new IvsHandlerProvider(stack, id, spec);
  }

  private constructor(stack: Stack, id: string, spec: IvsHandlerSpec) {
    super(stack, id, {
      codeDirectory: HANDLER_CODE_DIRECTORY,
      runtimeName: HANDLER_RUNTIME,
      timeout: HANDLER_TIMEOUT,
      memorySize: Size.mebibytes(256),
      description: `cdk-ivs-realtime: lifecycle handler for ${spec.resourceType}`,
      policyStatements: [
        {
          Effect: 'Allow',
          Action: spec.actions,
          Resource: stack.formatArn({ service: 'ivs', resource: spec.arnResource, resourceName: '*' }),
        },
      ],
    });
  }
}
