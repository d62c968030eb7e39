/*
 * The example app's "recording complete" target: where an application would catalogue the
 * composite recording of a stage session (a database row, a transcoding job). It logs and answers
 * the recording's location.
 */
exports.handler = async (event) => {
  const { stageArn, sessionId, bucket, recordingPrefix } = event.detail;
  const location = `s3://${bucket}/${recordingPrefix}/composite/`;
  console.log(JSON.stringify({ event: 'recording-complete', stageArn, sessionId, location }));
  return { stageArn, sessionId, location };
};
