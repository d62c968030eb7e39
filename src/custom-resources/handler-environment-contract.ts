/*
 * What the provider (ivs-handler-provider.ts) puts in the lifecycle handlers' environment, and the
 * handlers (lambda/handler.ts) read. Constants only, no aws-cdk-lib.
 */

/**
 * The environment variable that holds the ID of the stack whose handler a function is: its role
 * may act on every resource of its type in the account, so it acts on events of its own stack only.
 */
export const STACK_ID_VARIABLE = 'CDK_IVS_REALTIME_STACK_ID';
