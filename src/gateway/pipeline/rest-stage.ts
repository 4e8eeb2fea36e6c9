/** Where the upstream exchange of a REST call stands. */
export enum Stage {
  /** Checks still running, or refused: nothing sent upstream. */
  Idle,
  /** Dispatched, waiting for the response headers. */
  Waiting,
  /** The response is streaming to the caller. */
  Streaming,
  /** The upstream's body is being buffered for the workflow's response phase; nothing has gone to the caller yet. */
  Buffering,
  /** An upstream 401 to a token it has since been told to forget: its body is read and dropped before the call goes again. */
  Discarding,
  /** Complete, failed or abandoned. */
  Done,
}
