/*
 * How values travel from a construct to its handler.
 *
 * CloudFormation hands every custom-resource property to the handler as a string, numbers and
 * booleans included, however the template wrote them. The contracts say so in their types: the
 * construct writes these encodings into the template, and the handler decodes them.
 *
 * This file is shared with the handler bundle: it must not import aws-cdk-lib.
 */

/** A whole number written in decimal, e.g. `"30"`. */
export type EncodedInteger = string;

/** `"true"` or `"false"`. */
export type EncodedBoolean = string;
