// A wait that parks only once someone awaits it. A kernel park is announced synchronously (the task
// gives up the baton), so a wait started and then dropped — `void group.wait()`, JavaScript's spelling
// of an errgroup whose Wait nobody calls — would leave its task running on without the baton and
// corrupt the schedule until the watchdog ends the run. Started lazily, a dropped wait waits for
// nothing, as in Go: the caller runs on while the group's tasks do.

export class LazyWait<T> implements PromiseLike<T> {
  #promise: Promise<T> | undefined;

  constructor(private readonly start: () => Promise<T>) {}

  // biome-ignore lint/suspicious/noThenProperty: the wait is deliberately awaitable, and lazy.
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#promise ??= this.start();
    return this.#promise.then(onFulfilled, onRejected);
  }
}
