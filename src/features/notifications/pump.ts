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
}

export function createOutboxPump(run: () => Promise<unknown>, onError: (err: unknown) => void = () => undefined): OutboxPump {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await run();
      } catch (err) {
        onError(err);
      }
    } while (again);
    running = null;
  };
  return {
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
  };
}
