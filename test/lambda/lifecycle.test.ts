import { orUndo } from '../../lambda/lifecycle';

/*
 * What every handler does the same way: undoing a create whose follow-up failed.
 */

const CREATED = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

test('an undo that fails with a nameless value names it as an Error in the message', async () => {
  // GIVEN
  const failure = Object.assign(new Error('the secret is gone'), { name: 'ResourceNotFoundException' });

  // WHEN
  const outcome = orUndo(async () => { throw failure; }, CREATED, async () => { throw { message: 'socket hang up' }; });

  // THEN
  await expect(outcome).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
    message: `the secret is gone; deleting ${CREATED} afterwards failed too (Error: socket hang up): delete it by hand`,
  });
});
