import { changedBesidesTags, nameToCreate, orUndo, refuseAdoptionOnUpdate } from '../../lambda/lifecycle';

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

describe('adoption in updates', () => {
  const OTHER = 'arn:aws:ivs:us-east-1:111111111111:stage/OtHeRsTaGe12';
  const update = (adoptArn: string | undefined, oldAdoptArn: string | undefined) => ({
    LogicalResourceId: 'Stage0E8C2AF5',
    PhysicalResourceId: CREATED,
    ResourceProperties: { ServiceToken: 'token', AdoptArn: adoptArn },
    OldResourceProperties: { ServiceToken: 'token', AdoptArn: oldAdoptArn },
  });

  test.each([
    ['removed', undefined, CREATED],
    ['kept', CREATED, CREATED],
    ['added, naming the resource held', CREATED, undefined],
    ['kept after a replacement gave the resource another ARN', OTHER, OTHER],
  ])('an AdoptArn %s is let through', (_, adoptArn, oldAdoptArn) => {
    // WHEN / THEN
    expect(() => refuseAdoptionOnUpdate(update(adoptArn, oldAdoptArn))).not.toThrow();
  });

  test.each([
    ['added', undefined],
    ['changed', CREATED],
  ])('an AdoptArn %s to name another resource is refused, naming both', (_, oldAdoptArn) => {
    // WHEN / THEN
    expect(() => refuseAdoptionOnUpdate(update(OTHER, oldAdoptArn)))
      .toThrow(`refusing to adopt ${OTHER} in an update: Stage0E8C2AF5 already holds ${CREATED}, and a resource is adopted only when it is created`);
  });

  test('adding or removing AdoptArn is no change to the definition', () => {
    // WHEN / THEN
    expect(changedBesidesTags({ ServiceToken: 't', Name: 'a', AdoptArn: CREATED }, { ServiceToken: 't', Name: 'a' })).toBe(false);
  });

  test('a create without a name fails, naming the property', () => {
    // WHEN / THEN
    expect(() => nameToCreate({})).toThrow('property Name must be given to create a resource');
  });
});
