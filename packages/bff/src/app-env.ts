/** Values middleware hands to handlers. */
export interface BffEnv {
  Variables: {
    requestId: string;
    /** The page origin an origin-guarded request was checked against (Origin, else Referer). */
    requestOrigin: string | undefined;
  };
}
