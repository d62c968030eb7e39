import { isoTimestamp, stageSessionId } from './ids';
import { compositionView } from './operations/compositions';
import { isInProgress, Store } from './store';

/*
 * Stage sessions, as far as compositions see them: a session starts when the first participant
 * joins an idle stage and ends a while after the last one leaves; GetStage answers the session in
 * progress as `activeSessionId`. A composition ends a minute after everyone leaves, and an ended
 * composition disappears a few minutes later (reference: runtime-surfaces 2d); the emulator does
 * both at once, when the session ends.
 */

/** A composition that ended with its stage's session, as GetComposition last answered it. */
export type EndedComposition = ReturnType<typeof compositionView>;

/** Starts a session on an idle stage, or answers the one in progress. */
export function startStageSession(store: Store, stageArn: string): string {
  const stage = store.stages.get(stageArn);
  if (!stage) throw new Error(`no stage ${stageArn} exists`);
  stage.activeSessionId ??= stageSessionId();
  return stage.activeSessionId;
}

/**
 * Ends the stage's session: the stage has no active session any more, and its compositions end:
 * state STOPPED, their destinations too, with an end time. An ended composition still answers
 * GetComposition (IVS keeps one for a few minutes), but no longer counts against the quotas.
 * Answers them, for the events a test sends about them.
 */
export function endStageSession(store: Store, stageArn: string): EndedComposition[] {
  const stage = store.stages.get(stageArn);
  if (!stage) throw new Error(`no stage ${stageArn} exists`);
  stage.activeSessionId = undefined;
  const ended: EndedComposition[] = [];
  const endTime = isoTimestamp();
  for (const record of [...store.compositions.values()].filter((c) => c.stageArn === stageArn && isInProgress(c))) {
    record.state = 'STOPPED';
    record.endTime = endTime;
    for (const destination of record.destinations) {
      destination.state = 'STOPPED';
      destination.endTime = endTime;
    }
    ended.push(compositionView(record));
  }
  return ended;
}
