/*
 * The tag every handler puts on what it creates, shared by the handlers and the tag validation of
 * the constructs. Type declarations and constants only, no aws-cdk-lib.
 *
 * IVS create calls take no client token. The tag lets a handler find what one of its creates made
 * when the answer was lost, or when the create failed without learning the ARN, and lets a create
 * that CloudFormation cancelled delete only what its own request made: its value is a digest of the
 * stack ID and logical ID, a slash, and the ID of the creating request.
 */

/** The key of the creator tag. */
export const CREATOR_TAG_KEY = 'cdk-ivs-realtime:creator';

/** IVS allows 50 tags on a resource; the creator tag takes one of them. */
export const MAX_USER_TAGS = 49;
