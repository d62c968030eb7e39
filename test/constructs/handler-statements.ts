

/**
 * The statement every handler role holds after its IVS statement: writing events into the
 * handler's own log group, which exists before the function, so no logs:CreateLogGroup.
 */
export const WRITE_OWN_LOGS = {
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: { 'Fn::GetAtt': [expectLogGroup(), 'Arn'] },
};

function expectLogGroup(): any {
  return expect.stringMatching(/HandlerProviderLogGroup[0-9A-F]{8}$/);
}


