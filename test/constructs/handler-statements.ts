

/**
 * The statement every handler role holds after its IVS statement: writing events into the
 * handler's own log group, which exists before the function, so no logs:CreateLogGroup.
 */
export const WRITE_OWN_LOGS = {
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: { 'Fn::GetAtt': [expectLogGroup(), 'Arn'] },
};

/**
 * The statements every handler role holds after its IVS statement: its own log group, the one
 * question it asks CloudFormation (whether a create was cancelled, of its own stack only), and
 * its type's List action where IAM cannot scope that to ARNs.
 */
export function ownStatements(listAction?: string): object[] {
  return [
    WRITE_OWN_LOGS,
    { Effect: 'Allow', Action: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'], Resource: { Ref: 'AWS::StackId' } },
    ...listAction ? [{ Effect: 'Allow', Action: listAction, Resource: '*' }] : [],
  ];
}

function expectLogGroup(): any {
  return expect.stringMatching(/HandlerProviderLogGroup[0-9A-F]{8}$/);
}


/** The statement that lets `resourceType`'s handler write the secrets tagged as its own in this stack, in us-east-1 of account 111111111111. */
export const ownedSecretsStatement = (resourceType: string) => ({
  Effect: 'Allow',
  Action: 'secretsmanager:PutSecretValue',
  Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:111111111111:secret:*']] },
  Condition: { StringEquals: { 'aws:ResourceTag/cdk-ivs-realtime:written-by': ownedSecretTagValue(resourceType) } },
});

/** The value of the `cdk-ivs-realtime:written-by` tag on a secret `resourceType`'s handler writes: the type and the stack's ID. */
export const ownedSecretTagValue = (resourceType: string) => ({ 'Fn::Join': ['', [`${resourceType}/`, { Ref: 'AWS::StackId' }]] });
