// The sweep's defaults, in a module of their own: the command line names them in its help text
// without loading the sweep's code (start-up time of every command).

/** Seeds per point when none are asked for (command line and library). */
export const DEFAULT_SEEDS_PER_POINT = 5;

/** The claim hit rate the recommendation asks for when none is given. */
export const DEFAULT_TARGET_HIT_RATE = 0.9;
