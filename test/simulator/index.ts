/**
 * Lifecycle simulator: deploys a synthesized CDK stack the way CloudFormation would, running the
 * real bundled handler code of its custom resources against the IVS Real-Time emulator through
 * the real AWS SDK.
 *
 *   const emu = await startEmulator();
 *   const sim = await LifecycleSimulator.start({ emulator: emu });
 *   const artifact = synthesize((stack) => new Stage(stack, 'Stage'));   // or app.synth().getStackArtifact(...)
 *   const result = await sim.deploy(artifact);   // creates, or updates what is deployed; never throws for a failed deploy
 *   result.success; result.status; result.reason; result.events; result.logs; result.outputs
 *   sim.resources;          // logical ID -> { type, physicalId, attributes, properties }
 *   sim.secrets;            // the Secrets Manager stub: list(), get(arn | name | logicalId), requests
 *   sim.kms;                // the KMS stub: list(), get(arn | keyId | logicalId), requests
 *   sim.cloudFormation;     // the CloudFormation stub: resource(stackId, logicalId) -> { status, physicalResourceId }, requests
 *   sim.events; sim.logs;   // everything so far
 *   sim.sensitiveValues();  // ResponseURLs and secret values, which must appear in no log line or response
 *   await sim.redeliver(result.events[0].request!);   // the same request again, as a Lambda retry would
 *   await sim.invokeFunction(logicalId, payload);      // a plain function of the stack: { result | error, logs }
 *   await sim.destroy();
 *   await sim.stop(); await emu.stop();
 *
 * How a custom resource is run. Its `ServiceToken` resolves to the ARN of an `AWS::Lambda::Function`
 * of the stack; that function's `Code.S3Key` names a file asset of the cloud assembly
 * (`asset.<hash>`), and its `Handler` (`__entrypoint__.handler`) is aws-cdk-lib's response wrapper
 * around our `index.js`. The simulator loads its own copy of that directory (so the handler's
 * module-scope SDK client talks to this simulator's emulator only), replaces the wrapper's
 * `external.sendHttpRequest` to capture the response PUT to the ResponseURL and `external.log` to
 * capture its log lines, captures the console during the invocation, and passes a context whose
 * `getRemainingTimeInMillis()` follows the function's Timeout. The handler sees fake credentials,
 * `AWS_REGION`, `AWS_ENDPOINT_URL_IVS_REALTIME` (the emulator) and
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_KMS` and `AWS_ENDPOINT_URL_CLOUDFORMATION` (the stubs), plus
 * the function's own environment variables.
 * Invocations take turns process-wide, because those variables are process-wide.
 *
 * What CloudFormation behaviour it reproduces:
 * - Intrinsics: `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::Sub`, the pseudo
 *   parameters and parameter defaults. `Fn::GetAtt` on a custom resource reads its latest response
 *   Data; a missing key fails the resource that asked, with CloudFormation's "Vendor response
 *   doesn't contain X key" message. Conditions and other functions are refused with a clear error.
 * - Order: every resource after what it references or `DependsOn`, independent resources in
 *   template order (CloudFormation would run them in parallel); deletes in reverse.
 * - Requests: every property value stringified recursively (numbers, booleans; arrays and objects
 *   keep their shape), ServiceToken included; RequestId, StackId, LogicalResourceId, a signed
 *   ResponseURL; OldResourceProperties on Update; PhysicalResourceId on Update and Delete.
 *   An Update is sent only when the resolved properties changed.
 * - Responses: FAILED, no response within min(function Timeout, ServiceTimeout), a body over
 *   4096 bytes or an empty physical ID fail the operation, with CloudFormation's wording.
 * - Replacement: a new physical ID on Update; the old one is deleted in the cleanup after the
 *   whole update succeeded, as are resources the new template dropped.
 * - `DeletionPolicy` / `UpdateReplacePolicy` `Retain` (and `RetainExceptOnCreate`): no Delete sent.
 * - Rollback: a failed create deletes what it created, in reverse order (the failed resource too,
 *   with the physical ID its response gave, or a made-up one if none came); a failed update sends
 *   Updates back to the previous properties (the failed resource included), then deletes what it
 *   created and the new side of replacements.
 *
 * - Resource statuses, as `DescribeStackResource` shows them to a handler that asks (the
 *   CloudFormation stub): CREATE_IN_PROGRESS while its create runs (no physical ID yet),
 *   CREATE_COMPLETE or CREATE_FAILED as soon as its answer is PUT (the handler may still be
 *   running, and sees it so); UPDATE_IN_PROGRESS, then UPDATE_COMPLETE or
 *   UPDATE_FAILED; DELETE_IN_PROGRESS, then DELETE_COMPLETE or DELETE_FAILED. The cleanup delete
 *   of the old side of a replacement leaves the status alone (the logical resource is the new side).
 *
 * Every other resource type is a stub that answers `Ref` and `Fn::GetAtt` with plausible names and
 * ARNs. An `AWS::S3::Bucket` registers its name with the emulator; an
 * `AWS::SecretsManager::Secret` exists in the Secrets Manager stub (AWS JSON 1.1 on 127.0.0.1), which
 * records PutSecretValue, answers GetSecretValue with versions and AWSCURRENT/AWSPREVIOUS labels,
 * and refuses writes to any other secret. An `AWS::KMS::Key` exists in the KMS stub, which answers
 * GetPublicKey and Sign with a real key pair for an elliptic-curve key spec.
 *
 * Not modelled: parallel work on independent resources, conditions, nested stacks, custom
 * resources backed by SNS or by functions without aws-cdk-lib's response wrapper, Lambda's own
 * retries (use `redeliver`), and a handler still running after its timeout (its later calls would
 * see the developer's environment: keep such fixtures idle, as `fixtures/echo` does).
 *
 * Test tooling only: not exported from src/ and not shipped.
 */
export { LifecycleSimulator } from './simulator';
export type { SimulatorOptions } from './simulator';
export { deployableStack, removeSynthesized, synthesize, TEST_ENV } from './assembly';
export type { DeployableStack } from './assembly';
export type { FunctionOutcome } from './handler-runner';
export { CloudFormationStub } from './cloudformation';
export type { CloudFormationRequest, ResourceStatus, StackResourceState } from './cloudformation';
export { EventBusStub, matches } from './event-bus';
export type { BusEvent, DeadLetter, Delivery } from './event-bus';
export { KmsStub } from './kms';
export type { KmsRequest, SimulatedKmsKey } from './kms';
export { SecretsManagerStub } from './secrets-manager';
export type { SecretsManagerRequest, SecretVersion, SimulatedSecret } from './secrets-manager';
export type {
  CustomResourceResponse,
  DeployResult,
  LifecycleEvent,
  Phase,
  RequestType,
  SimulatedResource,
  StackStatus,
  Template,
  TemplateResource,
} from './types';
