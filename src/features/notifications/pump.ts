/**
 * Runs the outbox sender when asked, one run at a time: a kick while a run is under way asks for
 * one more run after it, however many kicks there were. An SMS command's reply leaves within
 * seconds instead of at the worker's next tick, and a burst of ten thousand messages is a few
 * runs, not ten thousand.
 */
export interface OutboxPump {
  kick(): void;
  /** Resolves once no run is under way or asked for (tests, shutdown). */
  idle(): Promise<void>;
  /** Cancels a retry run that is waiting. */
  stop(): void;
}

export function createOutboxPump(
  run: () => Promise<{ retried: number } | undefined>,
  onError: (err: unknown) => void = () => undefined,
  options: { retryAfterMs?: number } = {},
): OutboxPump {
  let running: Promise<void> | null = null;
  let again = false;
  let retryTimer: NodeJS.Timeout | null = null;
  const loop = async () => {
    let retried = 0;
    do {
      again = false;
      try {
        retried = (await run())?.retried ?? 0;
      } catch (err) {
        onError(err);
      }
    } while (again);
    running = null;
    // A message put back for a retry (the gateway restarting) is tried again soon, not at the
    // worker's next minute.
    if (retried > 0 && !retryTimer) {
      retryTimer = setTimeout(() => {
        retryTimer = null;
        pump.kick();
      }, options.retryAfterMs ?? 5_000);
      retryTimer.unref();
    }
  };
  const pump: OutboxPump = {
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = loop();
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
    },
  };
  return pump;
}
